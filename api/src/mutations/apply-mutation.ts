import type postgres from 'postgres';
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

/** What the apply path reads about a row, in one round trip (see lookUp). */
export interface Lookup {
  /** false: this mutation id was already processed (the caller answers `duplicate`). */
  claimed: boolean;
  /** HLC of the row's tombstone, if it was deleted. */
  tomb: string | null;
  /** The locked row's scope columns, clocks, and (for project-scoped tables) the project's owner. */
  row: Row | null;
}

function lookupColumns(spec: TableSpec): string[] {
  const cols = new Set<string>(['field_clocks', ...spec.immutable]);
  if (spec.scope.kind === 'owner') cols.add(spec.scope.column);
  if (spec.scope.kind === 'project') cols.add('project_id');
  return [...cols];
}

/**
 * One statement: optionally claim the mutation id in processed_mutations (first, so a concurrent retry
 * blocks on it until we commit), read the tombstone, and lock the row `for update`. Project-scoped rows
 * also bring their project's owner, saving the ownership lookup.
 */
export async function lookUp(ctx: WriteContext, m: ValidMutation, claim: postgres.JSONValue | undefined): Promise<Lookup> {
  const { tx } = ctx;
  const { spec, id } = m;
  const owner = spec.scope.kind === 'project' ? tx`, (select p.user_id from projects p where p.id = t.project_id) as project_owner` : tx``;
  const locked = tx`select to_jsonb(r) from (
      select ${tx(lookupColumns(spec).map((c) => `t.${c}`))} ${owner} from ${tx(spec.name)} t where t.id = ${id} for no key update of t
    ) r`;
  const tomb = tx`select hlc from tombstones where table_name = ${spec.name} and row_id = ${id}`;
  const [result] =
    claim === undefined
      ? await tx<Lookup[]>`select true as claimed, (${tomb}) as tomb, (${locked}) as row`
      : await tx<Lookup[]>`
          with claim as (
            insert into processed_mutations (mutation_id, user_id, client_id, txid, result)
            values (${m.mutationId}, ${ctx.userId}, ${ctx.clientId}, pg_current_xact_id()::xid::text::bigint, ${tx.json(claim)})
            on conflict do nothing returning 1
          )
          select exists (select 1 from claim) as claimed, (${tomb}) as tomb, (${locked}) as row`;
  if (!result) throw new Error('lookup returned no row');
  const row = result.row;
  if (row && typeof row.project_owner === 'string' && typeof row.project_id === 'string') {
    ctx.projectOwners.set(row.project_id, row.project_owner);
  }
  return result;
}

/**
 * Applies one validated mutation inside the caller's savepoint, given its lookup. Returns the row after
 * the write (null for a delete). Throws ApiError for a rejection; the caller rolls the savepoint back.
 *
 * Conflict rules:
 * - insert of an existing id = per-field merge (an offline retry or two devices creating the same id);
 * - update of a missing row → `not_found`, of a deleted one → `deleted`;
 * - delete wins: it leaves a tombstone, and any later insert/update of that id, whatever its HLC, is
 *   refused with `deleted` (DESIGN: deletes win over concurrent updates; nothing is resurrected).
 *   Deleting an already-deleted row is applied (idempotent).
 */
export async function applyMutation(ctx: WriteContext, m: ValidMutation, lookup: Lookup): Promise<Row | null> {
  const first = await applyLooked(ctx, m, lookup);
  if (first !== RACED) return first;
  // Lost an insert race (another device created this id, or deleted it, and committed while we looked):
  // look again with a fresh snapshot; now it is a merge or a `deleted`.
  const again = await applyLooked(ctx, m, await lookUp(ctx, m, undefined));
  if (again === RACED) throw new ApiError('conflict', 'The row changed concurrently; retry', { table: m.spec.name, id: m.id });
  return again;
}

const RACED = Symbol('insert raced');

async function applyLooked(ctx: WriteContext, m: ValidMutation, { tomb, row: current }: Lookup): Promise<Row | null | typeof RACED> {
  const { tx } = ctx;
  const { spec, id } = m;
  if (tomb !== null) {
    if (m.op === 'delete') return null;
    throw new ApiError('deleted', `${spec.name} ${id} was deleted`, { table: spec.name, id, deletedAt: tomb });
  }
  if (!current) {
    if (m.op === 'update' || m.op === 'delete') throw new ApiError('not_found', `${spec.name} ${id} does not exist`, { table: spec.name, id });
    return insertRow(ctx, m);
  }
  await authorizeRow(ctx, spec, id, current);
  if (m.op === 'delete') {
    if (spec.scope.kind === 'self') throw new ApiError('forbidden', 'A user row cannot be deleted through mutations', { table: spec.name, id });
    // ON DELETE CASCADE removes the children in the same statement.
    await tx`with gone as (delete from ${tx(spec.name)} where id = ${id} returning id)
      insert into tombstones (table_name, row_id, hlc, deleted_by)
      select ${spec.name}, ${id}, ${m.hlc}, ${ctx.userId} from gone on conflict do nothing`;
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
  // `for update` found no row to lock, so a concurrent insert or delete of this id can race us. On a
  // conflicting insert we wait for it to commit, write nothing and merge instead (no unique violation).
  // A delete that committed while our lookup waited left a tombstone our lookup's snapshot could not
  // see: the tombstone is re-read right after the insert (pipelined, fresh snapshot) and the insert
  // is undone with `deleted` if it is there, so nothing is resurrected.
  const [[row], tomb] = await Promise.all([
    tx<Row[]>`insert into ${tx(spec.name)} ${tx(values)} on conflict (id) do nothing returning ${tx(columnNames(spec))}`,
    tx<{ hlc: string }[]>`select hlc from tombstones where table_name = ${spec.name} and row_id = ${id}`,
  ]);
  if (tomb.length > 0) throw new ApiError('deleted', `${spec.name} ${id} was deleted`, { table: spec.name, id, deletedAt: tomb[0]?.hlc });
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
