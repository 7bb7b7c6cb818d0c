import { describe, expect, it } from 'vitest';
import type { RelationColumn, RelationMessage } from '../replication/pgoutput-decoder';
import type { ColumnInfo } from '../schema/column-info';
import { MATCH_ALL, type RowFilter } from './row-filter';
import { relationChangeReason, type ShapeSchemaView } from './relation-change';

const INT4 = 23;
const TEXT = 25;
const VARCHAR = 1043;
const info = (name: string, typeOid: number, typeMod = -1, pkIndex?: number): ColumnInfo => ({
  name, typeName: typeOid === INT4 ? 'int4' : 'text', typeOid, dims: 0, notNull: pkIndex !== undefined, typeMod, category: 'X',
  ...(pkIndex === undefined ? {} : { pkIndex }),
});
// docs(id int4 pk, owner text, title varchar(20), secret text)
const tableColumns = [info('id', INT4, -1, 0), info('owner', TEXT), info('title', VARCHAR, 24), info('secret', TEXT)];
const rel = (columns: Array<[string, number, number?]>, name = 'docs'): RelationMessage => ({
  tag: 'relation', relationId: 1, schema: 'public', name, replicaIdentity: 'f',
  columns: columns.map(([n, typeOid, typeMod]): RelationColumn => ({ name: n, isKey: true, typeOid, typeMod: typeMod ?? -1 })),
});
const same: Array<[string, number, number?]> = [['id', INT4], ['owner', TEXT], ['title', VARCHAR, 24], ['secret', TEXT]];

function shape(opts: { columns?: string[]; visible?: string[]; filter?: RowFilter }): ShapeSchemaView {
  const visible = opts.visible === undefined ? null : new Set(opts.visible);
  const allowed = tableColumns.filter((c) => visible === null || visible.has(c.name));
  return {
    def: { table: { schema: 'public', name: 'docs' }, where: null, params: {}, columns: opts.columns ?? null, replica: 'default', userId: null },
    table: { schema: 'public', name: 'docs', oid: 1, columns: new Map(tableColumns.map((c) => [c.name, c])), primaryKey: ['id'], replicaIdentity: 'f' },
    selected: opts.columns === undefined ? allowed : allowed.filter((c) => opts.columns?.includes(c.name)),
    visibleColumns: visible,
    filter: opts.filter ?? MATCH_ALL,
  };
}
const ownerFilter: RowFilter = { ...MATCH_ALL, matches: (r) => r.owner === 'a', referencedColumns: new Set(['owner']) };
const opaqueFilter: RowFilter = { matches: () => true, sql: 'TRUE', sqlParams: [], sqlAt: () => 'TRUE', equalities: [] };

describe('relationChangeReason', () => {
  it.each<[string, ShapeSchemaView, RelationMessage, boolean]>([
    ['an unchanged definition (resent after VACUUM/ANALYZE)', shape({}), rel(same), false],
    ['a column added to a select-all shape', shape({}), rel([...same, ['extra', TEXT]]), true],
    ['a column added outside an explicit column list', shape({ columns: ['id', 'title'] }), rel([...same, ['extra', TEXT]]), false],
    ['a column added outside the auth allowlist', shape({ visible: ['id', 'owner', 'title', 'summary'] }), rel([...same, ['extra', TEXT]]), false],
    ['an allowlisted column added', shape({ visible: ['id', 'owner', 'title', 'summary'] }), rel([...same, ['summary', TEXT]]), true],
    ['a selected column dropped', shape({ columns: ['id', 'title'] }), rel([['id', INT4], ['owner', TEXT], ['secret', TEXT]]), true],
    ['a selected column renamed', shape({}), rel([['id', INT4], ['owner', TEXT], ['headline', VARCHAR, 24], ['secret', TEXT]]), true],
    ['a selected column retyped', shape({ columns: ['id', 'title'] }), rel([['id', INT4], ['owner', TEXT], ['title', TEXT], ['secret', TEXT]]), true],
    ['a selected varchar lengthened (schema max_length)', shape({}), rel([['id', INT4], ['owner', TEXT], ['title', VARCHAR, 44], ['secret', TEXT]]), true],
    ['an unselected, unfiltered column dropped', shape({ columns: ['id', 'title'] }), rel([['id', INT4], ['owner', TEXT], ['title', VARCHAR, 24]]), false],
    ['a filtered, unselected column dropped', shape({ columns: ['id', 'title'], filter: ownerFilter }), rel([['id', INT4], ['title', VARCHAR, 24], ['secret', TEXT]]), true],
    ['an unselected column dropped under a filter that does not say what it reads', shape({ columns: ['id', 'title'], filter: opaqueFilter }), rel([['id', INT4], ['owner', TEXT], ['title', VARCHAR, 24]]), true],
    ['the table renamed', shape({}), rel(same, 'documents'), true],
  ])('%s → rotate: %s', (_name, s, r, rotate) => {
    expect(relationChangeReason(s, r) !== null).toBe(rotate);
  });
});
