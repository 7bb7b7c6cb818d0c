import type postgres from 'postgres';
import { HlcError } from '../clock/hlc';
import type { ServerClock } from '../clock/server-clock';
import { ApiError, isApiError } from '../errors/api-error';
import { apiErrorFromPg } from '../errors/pg-error';
import { applyMutation, type ValidMutation } from './apply-mutation';
import type { Mutation, MutationResult } from './mutation-schema';
import { TABLE_SPECS } from './syncable-tables';
import { validateFields } from './validate-fields';
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
}

export interface ApplyMutationsResult {
  /** 32-bit xid of the transaction, as the replication stream reports it. */
  txid: number;
  results: MutationResult[];
}

/** What processed_mutations.result holds: enough to answer a retry, without the (possibly large) row. */
type StoredResult = { status: 'applied' } | { status: 'rejected'; error: ApiErrorJson };
type ApiErrorJson = { code: string; status: number; message: string; details: Record<string, unknown> };

/** details are plain data built by us; postgres.js's JSONValue type cannot express `unknown` leaves. */
function asJson(v: StoredResult): postgres.JSONValue {
  return v as unknown as postgres.JSONValue;
}

function toJson(e: ApiError): ApiErrorJson {
  return { code: e.code, status: e.status, message: e.message, details: e.details };
}

/** Checks that need no database: table, fields, values, HLC (clamped to now + bound). */
function prevalidate(m: Mutation, clock: ServerClock): ValidMutation {
  const spec = TABLE_SPECS.get(m.table);
  if (!spec) throw new ApiError('unknown_table', `Unknown table ${JSON.stringify(m.table)}`, { table: m.table });
  let hlc: string;
  try {
    hlc = clock.receive(m.hlc);
  } catch (e) {
    if (e instanceof HlcError) throw new ApiError('invalid_hlc', e.message, { hlc: m.hlc }, { cause: e });
    throw e;
  }
  const fields = validateFields(spec, m.op, m.fields ?? {});
  return { mutationId: m.mutationId, spec, op: m.op, id: m.id, fields, hlc };
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
export async function applyMutations({ tx, userId, clientId, mutations, clock }: ApplyMutationsOptions): Promise<ApplyMutationsResult> {
  const txid = await currentTxid(tx);
  const ctx: WriteContext = { tx, userId, clientId, txid, projectOwners: new Map() };
  const results: MutationResult[] = [];
  for (const m of mutations) results.push(await applyOne(ctx, m, clock));
  return { txid, results };
}

async function applyOne(ctx: WriteContext, m: Mutation, clock: ServerClock): Promise<MutationResult> {
  const { tx } = ctx;
  let valid: ValidMutation | undefined;
  let rejection: ApiError | undefined;
  try {
    valid = prevalidate(m, clock);
  } catch (e) {
    if (!isApiError(e)) throw e;
    rejection = e;
  }
  const stored: StoredResult = rejection ? { status: 'rejected', error: toJson(rejection) } : { status: 'applied' };
  // Claim the mutation id; the savepoint is opened in the same round trip (postgres.js pipelines).
  const [claimed] = await Promise.all([
    tx`insert into processed_mutations (mutation_id, user_id, client_id, txid, result)
       values (${m.mutationId}, ${ctx.userId}, ${ctx.clientId}, ${ctx.txid}, ${tx.json(asJson(stored))})
       on conflict do nothing returning mutation_id`,
    ...(valid ? [tx.unsafe('savepoint apply_mutation')] : []),
  ]);
  if (claimed.length === 0) {
    if (valid) await tx.unsafe('release savepoint apply_mutation');
    return duplicateResult(ctx, m.mutationId);
  }
  if (!valid) return rejected(m.mutationId, rejection!);
  try {
    const row = await applyMutation(ctx, valid);
    await tx.unsafe('release savepoint apply_mutation');
    return { mutationId: m.mutationId, status: 'applied', row };
  } catch (e) {
    const apiError = isApiError(e) ? e : apiErrorFromPg(e);
    if (!apiError) throw e;
    await tx.unsafe('rollback to savepoint apply_mutation');
    await Promise.all([
      tx.unsafe('release savepoint apply_mutation'),
      tx`update processed_mutations set result = ${tx.json(asJson({ status: 'rejected', error: toJson(apiError) }))}
         where mutation_id = ${m.mutationId}`,
    ]);
    return rejected(m.mutationId, apiError);
  }
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

function rejected(mutationId: string, e: ApiError): MutationResult {
  return { mutationId, status: 'rejected', error: toJson(e) };
}
