import type { ServerClock } from '../clock/server-clock';
import { ApiError, isApiError } from '../errors/api-error';
import { apiErrorFromPg } from '../errors/pg-error';
import { applyMutation, lookUp } from './apply-mutation';
import { applyBatchFast, fastPathEligible } from './apply-batch-fast';
import type { Mutation, MutationResult } from './mutation-schema';
import { check, type Checked } from './prevalidate';
import type { Writer } from './validate-fields';
import { asJson, rejected, toJson, type StoredResult } from './stored-result';
import { currentTxid, type Tx, type WriteContext } from './write-context';

export interface ApplyMutationsOptions {
  /**
   * A connection inside an open transaction; the whole batch commits or rolls back with it. Prefer
   * `withTransaction(sql, tx => applyMutations({ tx, … }))`: postgres.js's own `sql.begin` rethrows
   * ANY failed query at commit even when it was caught, so there a mutation that Postgres itself
   * rejects (FK race, check constraint) aborts the whole batch instead of only its savepoint.
   */
  tx: Tx;
  userId: string;
  clientId: string;
  mutations: readonly Mutation[];
  /** The server HLC: clamps client clocks and is advanced by them. */
  clock: ServerClock;
  /**
   * Try the set-based path first (default false). It may throw FastPathAbandoned after writing: the
   * caller must then roll back and call again with `fast: false` (the HTTP route does).
   */
  fast?: boolean;
  /**
   * 'server' for the server's own writes (a generation result fills a version's video, cost, layer):
   * those may set server-only columns. Default 'client': everything arriving over /v1/mutations.
   */
  writer?: Writer;
}

export interface ApplyMutationsResult {
  /** 32-bit xid of the transaction, as the replication stream reports it. */
  txid: number;
  results: MutationResult[];
}

/**
 * Applies a batch in the caller's transaction: per mutation, record the mutation id first (a concurrent
 * retry blocks on that row until we commit, then sees the conflict and answers `duplicate`), then apply
 * inside a savepoint so one rejection leaves the others intact. Rejections are recorded too, so a retry
 * gets the same answer. Errors that are not the client's fault (connection loss, deadlock) propagate and
 * abort the whole transaction: the caller retries it or reports 5xx, and nothing is half-applied.
 *
 * Also the entry point for server-side writes (e.g. a generation result updating a scene): pass
 * `clientId: 'server'` and `clock.tick()` as each mutation's hlc.
 */
export async function applyMutations({ tx, userId, clientId, mutations, clock, fast = false, writer = 'client' }: ApplyMutationsOptions): Promise<ApplyMutationsResult> {
  // Started now, read at the end: it rides along with the first round trip.
  const txid = handled(currentTxid(tx));
  const checked = mutations.map((m) => check(m, clock, writer));
  if (fast && fastPathEligible(checked)) {
    const results = await applyBatchFast({ tx, userId, clientId, projectOwners: new Map() }, checked, txid);
    return { txid: await txid, results };
  }
  const locks = lockRowsInOrder(tx, checked);
  const ctx: BatchContext = { tx, userId, clientId, projectOwners: new Map(), pending: locks };
  const results: MutationResult[] = [];
  for (const c of checked) results.push(await applyOne(ctx, c));
  await ctx.pending;
  return { txid: await txid, results };
}

/**
 * Batches touching the same rows in different orders would deadlock on the per-mutation row locks
 * (Postgres detects it only after deadlock_timeout, 1 s). Taking every existing row's lock up front,
 * table by table in id order, gives all batches one global lock order. Skipped for a single row.
 */
function lockRowsInOrder(tx: Tx, checked: Checked[]): Promise<unknown> {
  const byTable = new Map<string, Set<string>>();
  for (const c of checked) {
    if ('valid' in c) byTable.set(c.valid.spec.name, (byTable.get(c.valid.spec.name) ?? new Set()).add(c.valid.id));
  }
  const rows = [...byTable.values()].reduce((n, ids) => n + ids.size, 0);
  if (rows < 2) return Promise.resolve();
  const tables = [...byTable.keys()].sort();
  return handled(
    Promise.all(
      tables.map((t) =>
        tx`select id from ${tx(t)} where id = any(${[...byTable.get(t)!].sort()}::uuid[]) order by id for no key update`.execute(),
      ),
    ),
  );
}

/** The write context plus the previous mutation's `release savepoint`, which is pipelined, not awaited. */
interface BatchContext extends WriteContext {
  pending: Promise<unknown>;
}

const SAVEPOINT = 'apply_mutation';

/**
 * Marks a promise that is awaited later (pipelined) as handled now, so a rejection that lands before
 * anyone awaits it is not an unhandled rejection; awaiting the returned promise still throws.
 */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

async function applyOne(ctx: BatchContext, checked: Checked): Promise<MutationResult> {
  const { tx } = ctx;
  const { m } = checked;
  if ('error' in checked) {
    await ctx.pending;
    const claimed = await claim(ctx, m.mutationId, { status: 'rejected', error: toJson(checked.error) });
    return claimed ? rejected(m.mutationId, checked.error) : duplicateResult(ctx, m.mutationId);
  }
  const { valid } = checked;
  // One round trip: the previous release, this savepoint, and claim + tombstone + row lock.
  // .execute() sends in program order (postgres.js otherwise sends when first awaited).
  const previous = ctx.pending;
  const savepoint = handled(tx.unsafe(`savepoint ${SAVEPOINT}`).execute());
  const [, , lookup] = await Promise.all([previous, savepoint, lookUp(ctx, valid, asJson({ status: 'applied' }))]);
  if (!lookup.claimed) {
    ctx.pending = handled(tx.unsafe(`release savepoint ${SAVEPOINT}`).execute());
    await ctx.pending;
    return duplicateResult(ctx, m.mutationId);
  }
  try {
    const row = await applyMutation(ctx, valid, lookup);
    ctx.pending = handled(tx.unsafe(`release savepoint ${SAVEPOINT}`).execute());
    return { mutationId: m.mutationId, status: 'applied', row };
  } catch (e) {
    const apiError = isApiError(e) ? e : apiErrorFromPg(e);
    if (!apiError) throw e;
    // Undo the mutation (and its claim), then record the rejection so a retry gets the same answer.
    const undo = [tx.unsafe(`rollback to savepoint ${SAVEPOINT}`).execute(), tx.unsafe(`release savepoint ${SAVEPOINT}`).execute()];
    await Promise.all([...undo, claim(ctx, m.mutationId, { status: 'rejected', error: toJson(apiError) })]);
    ctx.pending = Promise.resolve();
    return rejected(m.mutationId, apiError);
  }
}

/** Records a processed mutation id with its result; false when the id was already there. */
async function claim(ctx: WriteContext, mutationId: string, result: StoredResult): Promise<boolean> {
  const rows = await ctx.tx`
    insert into processed_mutations (mutation_id, user_id, client_id, txid, result)
    values (${mutationId}, ${ctx.userId}, ${ctx.clientId}, pg_current_xact_id()::xid::text::bigint, ${ctx.tx.json(asJson(result))})
    on conflict do nothing returning 1`;
  return rows.length === 1;
}

async function duplicateResult(ctx: WriteContext, mutationId: string): Promise<MutationResult> {
  const [row] = await ctx.tx<{ user_id: string; txid: string | number; result: StoredResult }[]>`
    select user_id, txid, result from processed_mutations where mutation_id = ${mutationId}`;
  if (!row || row.user_id !== ctx.userId) {
    // A mutation id is a client-generated UUID; another user's id here is a client bug or an attack.
    return rejected(mutationId, new ApiError('conflict', 'This mutation id was already used', { mutationId }));
  }
  return { mutationId, status: 'duplicate', txid: Number(row.txid), result: row.result };
}

