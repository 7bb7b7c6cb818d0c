import { ApiError } from '../errors/api-error';
import { authorizeRow, checkReferences } from './authorize';
import { encodeRow } from './encode-row';
import { mergeFields } from './lww-merge';
import type { MutationOp } from './mutation-schema';
import { columnNames, type TableSpec } from './syncable-tables';
import { checkRequired } from './validate-fields';
import type { WriteContext } from './write-context';

/** A mutation that passed the checks that need no database. */
export interface ValidMutation {
  mutationId: string;
  spec: TableSpec;
  op: MutationOp;
  id: string;
  /** Validated values by SQL column name. */
  fields: Record<string, unknown>;
  /** The clamped HLC. */
  hlc: string;
}

export type Row = Record<string, unknown>;

function scopeColumns(spec: TableSpec): string[] {
  const cols = new Set<string>(['field_clocks', ...spec.immutable]);
  if (spec.scope.kind === 'owner') cols.add(spec.scope.column);
  if (spec.scope.kind === 'project') cols.add('project_id');
  return [...cols];
}

/**
 * Applies one validated mutation inside the caller's savepoint. Returns the row after the write
 * (null for a delete). Throws ApiError for a rejection; the caller rolls the savepoint back.
 *
 * Conflict rules:
 * - insert of an existing id = per-field merge (an offline retry or two devices creating the same id);
 * - update of a missing row → `not_found`, of a deleted one → `deleted`;
 * - delete wins: it leaves a tombstone, and any later insert/update of that id, whatever its HLC, is
 *   refused with `deleted` (DESIGN: deletes win over concurrent updates; nothing is resurrected).
 *   Deleting an already-deleted row is applied (idempotent).
 */
export async function applyMutation(ctx: WriteContext, m: ValidMutation): Promise<Row | null> {
  const first = await applyOnce(ctx, m);
  // Lost an insert race: another device created this id and committed while we looked; now it's a merge.
  return first === RACED ? (await applyOnce(ctx, m)) as Row | null : first;
}

const RACED = Symbol('insert raced');

async function applyOnce(ctx: WriteContext, m: ValidMutation): Promise<Row | null | typeof RACED> {
  const { tx } = ctx;
  const { spec, id } = m;
  const [tombs, locked] = await Promise.all([
    tx<{ hlc: string }[]>`select hlc from tombstones where table_name = ${spec.name} and row_id = ${id}`,
    tx<Row[]>`select ${tx(scopeColumns(spec))} from ${tx(spec.name)} where id = ${id} for update`,
  ]);
  if (tombs.length > 0) {
    if (m.op === 'delete') return null;
    throw new ApiError('deleted', `${spec.name} ${id} was deleted`, { table: spec.name, id, deletedAt: tombs[0]?.hlc });
  }
  const current = locked[0];
  if (!current) {
    if (m.op === 'update' || m.op === 'delete') throw new ApiError('not_found', `${spec.name} ${id} does not exist`, { table: spec.name, id });
    return insertRow(ctx, m);
  }
  await authorizeRow(ctx, spec, id, current);
  if (m.op === 'delete') {
    await tx`insert into tombstones (table_name, row_id, hlc, deleted_by) values (${spec.name}, ${id}, ${m.hlc}, ${ctx.userId})
      on conflict do nothing`;
    await tx`delete from ${tx(spec.name)} where id = ${id}`;
    if (spec.name === 'projects') ctx.projectOwners.delete(id);
    return null;
  }
  return mergeIntoRow(ctx, m, current);
}

async function insertRow(ctx: WriteContext, m: ValidMutation): Promise<Row | null | typeof RACED> {
  const { tx } = ctx;
  const { spec, id, hlc } = m;
  const fields = { ...m.fields };
  if (spec.scope.kind === 'self') throw new ApiError('forbidden', 'User rows are created by login, not by mutations', { table: spec.name });
  if (spec.scope.kind === 'owner' && fields[spec.scope.column] === undefined) fields[spec.scope.column] = ctx.userId;
  checkRequired(spec, fields);
  await authorizeRow(ctx, spec, id, fields);
  await checkReferences(ctx, spec, id, fields, fields);
  const { clocks } = mergeFields({ incoming: fields, hlc, clocks: {} });
  const values = { ...encodeRow(tx, spec, fields), id, field_clocks: tx.json(clocks) };
  // `for update` found no row to lock, so a concurrent insert of the same id can race us: on conflict
  // we wait for it to commit, write nothing, and merge instead (no unique-violation error).
  const [row] = await tx<Row[]>`insert into ${tx(spec.name)} ${tx(values)} on conflict (id) do nothing
    returning ${tx(columnNames(spec))}`;
  if (!row) return RACED;
  if (spec.name === 'projects') ctx.projectOwners.set(id, ctx.userId);
  return row;
}

async function mergeIntoRow(ctx: WriteContext, m: ValidMutation, current: Row): Promise<Row | null> {
  const { tx } = ctx;
  const { spec, id } = m;
  const fields = { ...m.fields };
  for (const name of spec.immutable) {
    if (fields[name] === undefined) continue;
    if (fields[name] !== current[name]) {
      throw new ApiError('forbidden_field', `${spec.name}.${name} cannot be changed after insert`, { table: spec.name, field: name });
    }
    delete fields[name];
  }
  const clocks = (current.field_clocks ?? {}) as Record<string, string>;
  const merged = mergeFields({ incoming: fields, hlc: m.hlc, clocks });
  if (Object.keys(merged.winners).length === 0) {
    const [row] = await tx<Row[]>`select ${tx(columnNames(spec))} from ${tx(spec.name)} where id = ${id}`;
    return row ?? null;
  }
  if (spec.scope.kind === 'project' && merged.winners.project_id !== undefined) {
    await authorizeRow(ctx, spec, id, { project_id: merged.winners.project_id });
  }
  await checkReferences(ctx, spec, id, merged.winners, { ...current, ...merged.winners });
  const values = encodeRow(tx, spec, merged.winners);
  const [row] = await tx<Row[]>`
    update ${tx(spec.name)} set ${tx(values)}, field_clocks = ${tx.json(merged.clocks)}, updated_at = now()
    where id = ${id} returning ${tx(columnNames(spec))}`;
  return row ?? null;
}
