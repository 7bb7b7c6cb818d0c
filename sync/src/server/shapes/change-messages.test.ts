import { describe, expect, it } from 'vitest';
import type { ColumnInfo } from '../schema/column-info';
import { changeMessages, type RowChangeInput } from './change-messages';
import type { ShapeRuntime } from './shape-runtime';

const col = (name: string, pkIndex?: number): ColumnInfo => ({
  name, typeName: 'text', typeOid: 25, dims: 0, notNull: pkIndex !== undefined, typeMod: -1, category: 'S',
  ...(pkIndex === undefined ? {} : { pkIndex }),
});

function shape(replica: 'default' | 'full', where: (r: Record<string, string | null>) => boolean): ShapeRuntime {
  const columns = [col('id', 0), col('project'), col('title')];
  return {
    handle: 'h', publicHandle: 'h', handles: new Map([['h', 0]]), defKey: 'k',
    def: { table: { schema: 'public', name: 't' }, where: null, params: {}, columns: null, replica, userId: null },
    table: { schema: 'public', name: 't', oid: 1, columns: new Map(columns.map((c) => [c.name, c])), primaryKey: ['id'], replicaIdentity: 'f' },
    selected: columns, visibleColumns: null, filter: { matches: where, sql: null, sqlParams: [], sqlAt: () => null, equalities: [] }, schemaJson: '{}',
    keyPrefix: '"public"."t"/', state: 'ready', pageCount: 1, snapshotEnd: '', snapshotLsn: 0, snapshotError: undefined,
    visibility: null, captured: [], lastLsn: 0, logCount: 0, waiters: new Set(),
  };
}

const h = { txids: [7], lsn: '10', op_position: 0 };
const inA = (r: Record<string, string | null>) => r.project === 'a';
const row = (id: string, project: string, title: string) => ({ id, project, title });
const summary = (c: RowChangeInput, s = shape('default', inA)) => changeMessages(s, c, h).map((m) => [m.headers.operation, m.key, m.value, m.old_value]);

describe('changeMessages', () => {
  it('sends an update of changed columns (+ pk) in default mode', () => {
    expect(summary({ kind: 'update', oldRow: row('1', 'a', 'x'), newRow: row('1', 'a', 'y'), oldIsKeyOnly: false })).toEqual([
      ['update', '"public"."t"/"1"', { id: '1', title: 'y' }, undefined],
    ]);
  });
  it('sends the full row and old_value in full mode', () => {
    expect(summary({ kind: 'update', oldRow: row('1', 'a', 'x'), newRow: row('1', 'a', 'y'), oldIsKeyOnly: false }, shape('full', inA))).toEqual([
      ['update', '"public"."t"/"1"', { id: '1', project: 'a', title: 'y' }, { title: 'x' }],
    ]);
  });
  it('turns a move out into a delete and a move in into an insert', () => {
    expect(summary({ kind: 'update', oldRow: row('1', 'a', 'x'), newRow: row('1', 'b', 'x'), oldIsKeyOnly: false })).toEqual([
      ['delete', '"public"."t"/"1"', { id: '1' }, undefined],
    ]);
    expect(summary({ kind: 'update', oldRow: row('1', 'b', 'x'), newRow: row('1', 'a', 'x'), oldIsKeyOnly: false })).toEqual([
      ['insert', '"public"."t"/"1"', { id: '1', project: 'a', title: 'x' }, undefined],
    ]);
  });
  it('sends nothing for an update outside the shape or one that changes no selected column', () => {
    expect(summary({ kind: 'update', oldRow: row('1', 'b', 'x'), newRow: row('1', 'b', 'y'), oldIsKeyOnly: false })).toEqual([]);
    expect(summary({ kind: 'update', oldRow: row('1', 'a', 'x'), newRow: row('1', 'a', 'x'), oldIsKeyOnly: false })).toEqual([]);
  });
  it('turns a primary-key change into delete + insert', () => {
    expect(summary({ kind: 'update', oldRow: row('1', 'a', 'x'), newRow: row('2', 'a', 'x'), oldIsKeyOnly: false }).map((m) => [m[0], m[1]])).toEqual([
      ['delete', '"public"."t"/"1"'],
      ['insert', '"public"."t"/"2"'],
    ]);
  });
  it('doubles a slash inside key values', () => {
    expect(summary({ kind: 'insert', oldRow: null, newRow: row('a/b', 'a', 'x'), oldIsKeyOnly: false })[0]?.[1]).toBe('"public"."t"/"a//b"');
  });
  it('filters inserts and deletes by the shape predicate', () => {
    expect(summary({ kind: 'insert', oldRow: null, newRow: row('1', 'b', 'x'), oldIsKeyOnly: false })).toEqual([]);
    expect(summary({ kind: 'delete', oldRow: row('1', 'a', 'x'), newRow: null, oldIsKeyOnly: false })).toEqual([['delete', '"public"."t"/"1"', { id: '1' }, undefined]]);
    expect(summary({ kind: 'delete', oldRow: row('1', 'b', 'x'), newRow: null, oldIsKeyOnly: false })).toEqual([]);
  });
});
