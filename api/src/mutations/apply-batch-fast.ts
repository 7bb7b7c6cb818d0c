import { ApiError, isApiError } from '../errors/api-error';
import { isConnectionLost } from '../errors/pg-error';
import type { ValidMutation } from './apply-mutation';
import { authorizeRow } from './authorize';
import { encodeRow } from './encode-row';
import { mergeFields } from './lww-merge';
import type { MutationResult } from './mutation-schema';
import type { Checked } from './prevalidate';
import { asJson, rejected, toJson, type StoredResult } from './stored-result';
import { columnNames, type TableSpec } from './syncable-tables';
import { checkRequired } from './validate-fields';
import type { Tx, WriteContext } from './write-context';

type Row = Record<string, unknown>;

/**
 * Thrown when the set-based path meets something only the per-mutation path handles (a Postgres-level
 * rejection, an insert race). The transaction is then rolled back and the batch re-run per mutation;
 * nothing of this attempt survives.
 */
export class FastPathAbandoned extends Error {
  constructor(reason: string, options: { cause?: unknown } = {}) {
    super(`fast path abandoned: ${reason}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FastPathAbandoned';
  }
}

// Writes whose checks need per-row queries (reference visibility, cascades) go the per-mutation way.
const REFERENCE_FIELDS = new Set(['brain_id', 'format_template_id', 'current_version_id', 'scene_id', 'media_asset_id']);
const FAST_DELETE_TABLES = new Set(['scenes', 'characters']);

/** Pure: can this batch take the set-based path? */
export function fastPathEligible(checked: readonly Checked[]): boolean {
  for (const c of checked) {
    if (!('valid' in c)) continue;
    const { spec, op, fields } = c.valid;
    if (spec.name === 'scene_versions') return false;
    if (op === 'delete' && !FAST_DELETE_TABLES.has(spec.name)) return false;
    for (const f of Object.keys(fields)) if (REFERENCE_FIELDS.has(f)) return false;
  }
  return true;
}

interface RowState {
  spec: TableSpec;
  id: string;
  /** Scope columns + field_clocks as read (null: no row). */
  current: Row | null;
  tomb: string | null;
  inserted: boolean;
  deleted: boolean;
  deleteHlc?: string;
  /** Values to write: full row for an insert, winners for an update. */
  values: Row;
  clocks: Record<string, string>;
}

/** Parents before children, so inserts within one batch satisfy their foreign keys. */
const WRITE_ORDER = ['users', 'format_templates', 'brains', 'projects', 'scenes', 'characters', 'scene_versions'];

const key = (table: string, id: string) => `${table}/${id}`;

/**
 * The whole batch in a handful of statements: claim every mutation id, read and lock every row (id
 * order) with its tombstone and project owner, run the exact per-mutation rules in memory, then write
 * each touched row once (pipelined). Same outcome as applying the mutations one by one.
 */
export async function applyBatchFast(ctx: WriteContext, checked: readonly Checked[], txid: Promise<number>): Promise<MutationResult[]> {
  const { tx } = ctx;
  // 1. Claim ids (rejections from the pure checks are stored right away) and read rows, one round trip.
  const stored = checked.map((c): StoredResult => ('error' in c ? { status: 'rejected', error: toJson(c.error) } : { status: 'applied' }));
  const ids = checked.map((c) => c.m.mutationId);
  const claim = tx<{ mutation_id: string }[]>`
    insert into processed_mutations (mutation_id, user_id, client_id, txid, result)
    select m.id, ${ctx.userId}, ${ctx.clientId}, pg_current_xact_id()::xid::text::bigint, m.r::jsonb
    from unnest(${ids}::uuid[], ${stored.map((s) => JSON.stringify(asJson(s)))}::text[]) as m(id, r)
    on conflict do nothing returning mutation_id`.execute();
  const byTable = new Map<string, { spec: TableSpec; ids: Set<string> }>();
  const projectIds = new Set<string>();
  for (const c of checked) {
    if (!('valid' in c)) continue;
    const entry = byTable.get(c.valid.spec.name) ?? { spec: c.valid.spec, ids: new Set<string>() };
    entry.ids.add(c.valid.id);
    byTable.set(c.valid.spec.name, entry);
    if (typeof c.valid.fields.project_id === 'string') projectIds.add(c.valid.fields.project_id);
  }
  const tables = [...byTable.values()].sort((a, b) => (a.spec.name < b.spec.name ? -1 : 1));
  const reads = tables.map(({ spec, ids: rowIds }) => {
    const sorted = [...rowIds].sort();
    const cols = lookupColumns(spec).map((c) => `t.${c}`);
    const owner = spec.scope.kind === 'project' ? tx`, (select p.user_id from projects p where p.id = t.project_id) as project_owner` : tx``;
    return Promise.all([
      tx<{ id: string; r: Row }[]>`select sub.id, to_jsonb(sub) as r from (
          select t.id, ${tx(cols)} ${owner} from ${tx(spec.name)} t
          where t.id = any(${sorted}::uuid[]) order by t.id for no key update of t
        ) sub`.execute(),
      tx<{ row_id: string; hlc: string }[]>`select row_id, hlc from tombstones where table_name = ${spec.name} and row_id = any(${sorted}::uuid[])`.execute(),
    ]);
  });
  const owners = projectIds.size > 0
    ? tx<{ id: string; user_id: string }[]>`select id, user_id from projects where id = any(${[...projectIds]}::uuid[])`.execute()
    : Promise.resolve([]);
  const [claimed, tableReads, ownerRows] = await Promise.all([claim, Promise.all(reads), owners]);
  for (const o of ownerRows) ctx.projectOwners.set(o.id, o.user_id);

  const state = new Map<string, RowState>();
  tables.forEach(({ spec, ids: rowIds }, i) => {
    const [rows, tombs] = tableReads[i]!;
    const found = new Map(rows.map((r) => [r.id, r.r]));
    const tombOf = new Map(tombs.map((t) => [t.row_id, t.hlc]));
    for (const id of rowIds) {
      const current = found.get(id) ?? null;
      if (current && typeof current.project_owner === 'string' && typeof current.project_id === 'string') {
        ctx.projectOwners.set(current.project_id, current.project_owner);
      }
      const clocks = { ...((current?.field_clocks as Record<string, string> | undefined) ?? {}) };
      state.set(key(spec.name, id), { spec, id, current, tomb: tombOf.get(id) ?? null, inserted: false, deleted: false, values: {}, clocks });
    }
  });

  // 2. The per-mutation rules, in order, in memory.
  const claimedIds = new Set(claimed.map((c) => c.mutation_id));
  const firstOutcome = new Map<string, StoredResult>();
  const outcomes: (MutationResult | { duplicateOf: string })[] = [];
  const newlyRejected: { id: string; result: StoredResult }[] = [];
  for (const c of checked) {
    const mid = c.m.mutationId;
    if (!claimedIds.has(mid) || firstOutcome.has(mid)) {
      outcomes.push({ duplicateOf: mid });
      continue;
    }
    if ('error' in c) {
      firstOutcome.set(mid, { status: 'rejected', error: toJson(c.error) });
      outcomes.push(rejected(mid, c.error));
      continue;
    }
    try {
      await applyInMemory(ctx, c.valid, state.get(key(c.valid.spec.name, c.valid.id))!);
      firstOutcome.set(mid, { status: 'applied' });
      outcomes.push({ mutationId: mid, status: 'applied', row: null });
    } catch (e) {
      if (!isApiError(e)) throw e;
      const result: StoredResult = { status: 'rejected', error: toJson(e) };
      firstOutcome.set(mid, result);
      newlyRejected.push({ id: mid, result });
      outcomes.push(rejected(mid, e));
    }
  }

  // 3. Write every touched row once, pipelined; fetch stored results of earlier batches' duplicates.
  const writes: Promise<Row[]>[] = [];
  const parentsFirst = [...state.values()].sort((a, b) => WRITE_ORDER.indexOf(a.spec.name) - WRITE_ORDER.indexOf(b.spec.name));
  for (const s of parentsFirst) {
    const w = writeRow(tx, ctx.userId, s);
    if (w) writes.push(w);
  }
  const marks = newlyRejected.length > 0
    ? tx`update processed_mutations p set result = v.r::jsonb
         from unnest(${newlyRejected.map((r) => r.id)}::uuid[], ${newlyRejected.map((r) => JSON.stringify(asJson(r.result)))}::text[]) as v(id, r)
         where p.mutation_id = v.id`.execute()
    : Promise.resolve([]);
  const earlier = checked.map((c) => c.m.mutationId).filter((mid) => !claimedIds.has(mid));
  const previous = earlier.length > 0
    ? tx<{ mutation_id: string; user_id: string; txid: string; result: StoredResult }[]>`
        select mutation_id, user_id, txid, result from processed_mutations where mutation_id = any(${earlier}::uuid[])`.execute()
    : Promise.resolve([]);
  let written: Row[][];
  let previousRows: Awaited<typeof previous>;
  try {
    [written, , previousRows] = await Promise.all([Promise.all(writes), marks, previous]);
  } catch (e) {
    if (e instanceof FastPathAbandoned || isConnectionLost(e)) throw e;
    throw new FastPathAbandoned('a write failed in Postgres', { cause: e });
  }
  const rowsById = new Map<string, Row>();
  for (const rows of written) for (const r of rows) if (r && typeof r.__key === 'string') rowsById.set(r.__key, r);
  const prevById = new Map(previousRows.map((p) => [p.mutation_id, p]));
  const txidNow = await txid;

  return outcomes.map((o, i) => {
    const c = checked[i]!;
    if ('duplicateOf' in o) {
      const inBatch = firstOutcome.get(o.duplicateOf);
      if (inBatch) return { mutationId: o.duplicateOf, status: 'duplicate', txid: txidNow, result: inBatch };
      const p = prevById.get(o.duplicateOf);
      if (!p || p.user_id !== ctx.userId) return rejected(o.duplicateOf, new ApiError('conflict', 'This mutation id was already used', { mutationId: o.duplicateOf }));
      return { mutationId: o.duplicateOf, status: 'duplicate', txid: Number(p.txid), result: p.result };
    }
    if (o.status === 'applied' && 'valid' in c) {
      const s = state.get(key(c.valid.spec.name, c.valid.id))!;
      const row = s.deleted ? null : (rowsById.get(key(s.spec.name, s.id)) ?? null);
      return { ...o, row: row ? stripKey(row) : null };
    }
    return o;
  });
}

function stripKey(row: Row): Row {
  const { __key: _omit, ...rest } = row;
  return rest;
}

function lookupColumns(spec: TableSpec): string[] {
  const cols = new Set<string>(['field_clocks', ...spec.immutable]);
  if (spec.scope.kind === 'owner') cols.add(spec.scope.column);
  if (spec.scope.kind === 'project') cols.add('project_id');
  return [...cols];
}

/** The per-mutation rules of applyMutation, on the in-memory row state. Throws ApiError to reject. */
async function applyInMemory(ctx: WriteContext, m: ValidMutation, s: RowState): Promise<void> {
  const { spec, id } = m;
  const tomb = s.deleted ? (s.deleteHlc ?? '') : s.tomb;
  if (tomb !== null) {
    if (m.op === 'delete') return;
    throw new ApiError('deleted', `${spec.name} ${id} was deleted`, { table: spec.name, id, deletedAt: tomb });
  }
  const exists = s.current !== null || s.inserted;
  if (!exists) {
    if (m.op !== 'insert') throw new ApiError('not_found', `${spec.name} ${id} does not exist`, { table: spec.name, id });
    const fields = { ...m.fields };
    if (spec.scope.kind === 'self') throw new ApiError('forbidden', 'User rows are created by login, not by mutations', { table: spec.name });
    if (spec.scope.kind === 'owner' && fields[spec.scope.column] === undefined) fields[spec.scope.column] = ctx.userId;
    checkRequired(spec, fields);
    await authorizeRow(ctx, spec, id, fields);
    s.inserted = true;
    s.values = fields;
    s.clocks = mergeFields({ incoming: fields, hlc: m.hlc, clocks: {} }).clocks;
    if (spec.name === 'projects') ctx.projectOwners.set(id, ctx.userId);
    return;
  }
  // The row as it stands after earlier mutations of this batch (scope columns only matter here).
  const row = { ...(s.current ?? {}), ...s.values };
  await authorizeRow(ctx, spec, id, row);
  if (m.op === 'delete') {
    s.deleted = true;
    s.deleteHlc = m.hlc;
    return;
  }
  const fields = { ...m.fields };
  for (const name of spec.immutable) {
    if (fields[name] === undefined) continue;
    if (fields[name] !== row[name]) throw new ApiError('forbidden_field', `${spec.name}.${name} cannot be changed after insert`, { table: spec.name, field: name });
    delete fields[name];
  }
  const merged = mergeFields({ incoming: fields, hlc: m.hlc, clocks: s.clocks });
  if (spec.scope.kind === 'project' && merged.winners.project_id !== undefined) {
    await authorizeRow(ctx, spec, id, { project_id: merged.winners.project_id });
  }
  Object.assign(s.values, merged.winners);
  s.clocks = merged.clocks;
}

/** One statement per touched row; rows come back tagged with `__key` so results can find them. */
function writeRow(tx: Tx, userId: string, s: RowState): Promise<Row[]> | undefined {
  const { spec, id } = s;
  const tag = key(spec.name, id);
  const cols = columnNames(spec);
  if (s.deleted) {
    if (s.current === null) {
      // Inserted and deleted within this batch: never written, only the tombstone remains.
      return tx<Row[]>`insert into tombstones (table_name, row_id, hlc, deleted_by) values (${spec.name}, ${id}, ${s.deleteHlc!}, ${userId})
        on conflict do nothing`.execute();
    }
    return tx<Row[]>`with gone as (delete from ${tx(spec.name)} where id = ${id} returning id)
      insert into tombstones (table_name, row_id, hlc, deleted_by)
      select ${spec.name}, ${id}, ${s.deleteHlc!}, ${userId} from gone on conflict do nothing`.execute();
  }
  if (s.inserted) {
    const values = { ...encodeRow(tx, spec, s.values), id, field_clocks: tx.json(s.clocks) };
    // A racing insert or a delete that committed while we read → let the per-mutation path decide.
    const insert = tx<Row[]>`
      with ins as (insert into ${tx(spec.name)} ${tx(values)} on conflict (id) do nothing returning ${tx(cols)})
      select ins.*, ${tag}::text as __key,
        exists (select 1 from tombstones where table_name = ${spec.name} and row_id = ${id}) as __tomb
      from (select 1) one left join ins on true`.execute();
    return insert.then((rows) => {
      const r = rows[0];
      if (!r || r.id === null || r.__tomb === true) throw new FastPathAbandoned('insert raced another writer');
      delete r.__tomb;
      return rows;
    });
  }
  if (Object.keys(s.values).length === 0) {
    return tx<Row[]>`select ${tx(cols)}, ${tag}::text as __key from ${tx(spec.name)} where id = ${id}`.execute();
  }
  return tx<Row[]>`
    update ${tx(spec.name)} set ${tx(encodeRow(tx, spec, s.values))}, field_clocks = ${tx.json(s.clocks)}, updated_at = now()
    where id = ${id} returning ${tx(cols)}, ${tag}::text as __key`.execute();
}
