import type { Logger } from 'pino';
import type postgres from 'postgres';
import { ApiError } from '../errors/api-error';
import { startPeriodicTask } from '../jobs/periodic-task';
import { decideExisting, type ExistingRequest } from './idempotency-key';

/** The 200 body of POST /v1/generations, as stored for replay. */
export type GenerationResponseBody = Record<string, postgres.JSONValue>;

/**
 * A key this request owns while it runs. `token` is the row's updated_at as Postgres prints it, compared
 * back as `${token}::text::timestamptz`: a JS Date, or a parameter postgres.js types as timestamptz (it
 * goes through Date), would drop the microseconds and never match.
 */
export interface GenerationRequestClaim {
  userId: string;
  key: string;
  token: string;
}

export type ClaimOutcome =
  | { kind: 'claimed'; claim: GenerationRequestClaim }
  | { kind: 'replay'; response: GenerationResponseBody }
  | { kind: 'reused' }
  | { kind: 'in_progress'; retryAfterSeconds: number };

export interface GenerationRequestsOptions {
  sql: postgres.Sql;
  logger: Logger;
  now: () => number;
  /** A pending key older than this is taken over (its request died); see DEFAULT_ORPHANED_HOLD_GRACE_MS. */
  staleMs: number;
}

export interface GenerationRequests {
  /**
   * Claims `key` for this request, each statement its own committed transaction so a concurrent duplicate
   * sees the claim at once: inserts a pending row, or decides on the existing one (decideExisting) and,
   * for a stale pending row, takes it over with a compare-and-set on updated_at (one taker wins).
   */
  claim(options: { userId: string; key: string; fingerprint: string }): Promise<ClaimOutcome>;
  /**
   * Marks the claim completed with the response, inside the transaction that records the version, so a
   * recorded version never leaves its key pending. Throws 409 `conflict` (rolling the recording back) when
   * the claim was taken over meanwhile: this request outlived the stale limit and its retry now owns the key.
   */
  complete(tx: postgres.ReservedSql, options: { claim: GenerationRequestClaim; versionId: string; response: GenerationResponseBody }): Promise<void>;
  /** Deletes the pending claim after a failed request, so its retry runs; logs, never throws. */
  release(claim: GenerationRequestClaim, cause: unknown): Promise<void>;
}

interface ExistingRow {
  fingerprint: string;
  state: 'pending' | 'completed';
  response: GenerationResponseBody | null;
  updated_at: Date;
  token: string;
}

/**
 * The generation_requests table (db/src/schema/generation-requests.ts) behind Idempotency-Key.
 *
 * @example
 *   const requests = createGenerationRequests({ sql, logger, now: Date.now, staleMs: 3_600_000 });
 *   const outcome = await requests.claim({ userId, key, fingerprint });
 */
export function createGenerationRequests({ sql, logger, now, staleMs }: GenerationRequestsOptions): GenerationRequests {
  return {
    async claim({ userId, key, fingerprint }) {
      // A row seen by the insert's conflict can be gone by the select (its request failed and released it):
      // then insert again. Bounded: three rounds of that means heavy churn on one key; call it in progress.
      for (let attempt = 0; attempt < 3; attempt++) {
        const [inserted] = await sql<{ token: string }[]>`
          insert into generation_requests (user_id, idempotency_key, fingerprint)
          values (${userId}, ${key}, ${fingerprint})
          on conflict do nothing
          returning updated_at::text as token`;
        if (inserted !== undefined) return { kind: 'claimed', claim: { userId, key, token: inserted.token } };

        const [row] = await sql<ExistingRow[]>`
          select fingerprint, state, response, updated_at, updated_at::text as token
          from generation_requests where user_id = ${userId} and idempotency_key = ${key}`;
        if (row === undefined) continue;
        const existing: ExistingRequest = { fingerprint: row.fingerprint, state: row.state, updatedAtMs: row.updated_at.getTime() };
        const decision = decideExisting({ existing, fingerprint, nowMs: now(), staleMs });
        switch (decision.kind) {
          case 'replay':
            // The table's check constraint guarantees a completed row has its response.
            return { kind: 'replay', response: row.response ?? {} };
          case 'reused':
          case 'in_progress':
            return decision;
          case 'take_over': {
            // Compare-and-set on the exact updated_at seen (text, not a JS Date: microseconds matter), so of
            // two takers only one matches; the loser loops and sees the winner's fresh claim (in progress).
            const [taken] = await sql<{ token: string }[]>`
              update generation_requests set updated_at = clock_timestamp()
              where user_id = ${userId} and idempotency_key = ${key} and state = 'pending' and updated_at = ${row.token}::text::timestamptz
              returning updated_at::text as token`;
            if (taken === undefined) continue;
            logger.warn({ userId, idempotencyKey: key, pendingSince: row.updated_at }, 'took over a stale Idempotency-Key: its request died before completing');
            return { kind: 'claimed', claim: { userId, key, token: taken.token } };
          }
        }
      }
      return { kind: 'in_progress', retryAfterSeconds: 1 };
    },

    async complete(tx, { claim, versionId, response }) {
      const rows = await tx`
        update generation_requests
        set state = 'completed', version_id = ${versionId}, response = ${tx.json(response)}, updated_at = clock_timestamp()
        where user_id = ${claim.userId} and idempotency_key = ${claim.key} and state = 'pending' and updated_at = ${claim.token}::text::timestamptz
        returning 1`;
      if (rows.length === 0) {
        throw new ApiError('conflict', 'This request ran longer than the Idempotency-Key stale limit and a retry took its key over; the retry answers it', {
          idempotencyKey: claim.key,
        });
      }
    },

    async release(claim, cause) {
      try {
        await sql`
          delete from generation_requests
          where user_id = ${claim.userId} and idempotency_key = ${claim.key} and state = 'pending' and updated_at = ${claim.token}::text::timestamptz`;
      } catch (err) {
        // The key stays pending: retries get 409 until it is stale, then take it over.
        logger.error({ err, cause: cause instanceof Error ? cause.message : String(cause), userId: claim.userId, idempotencyKey: claim.key }, 'releasing a failed request\'s Idempotency-Key failed; retries wait for the stale limit');
      }
    },
  };
}

/** How long a completed key stays replayable: 24 hours (STORYFORGE_IDEMPOTENCY_RETENTION_HOURS). */
export const DEFAULT_IDEMPOTENCY_RETENTION_MS = 24 * 3_600_000;

export interface PruneGenerationRequestsOptions {
  sql: postgres.Sql;
  now: () => number;
  /** Completed keys older than this are deleted (a retry after that runs again). */
  retentionMs: number;
  /** Pending keys are deleted only once older than this too (they could still be running until then). */
  staleMs: number;
  /** Rows per DELETE, so one pass never holds many row locks or one long transaction. */
  batchSize?: number;
}

/**
 * Deletes expired Idempotency-Key records in batches by the updated_at index; returns how many. A pending
 * row past both limits belongs to a request that died and was never retried.
 */
export async function pruneGenerationRequests({ sql, now, retentionMs, staleMs, batchSize = 5000 }: PruneGenerationRequestsOptions): Promise<number> {
  const completedBefore = new Date(now() - retentionMs);
  const pendingBefore = new Date(now() - Math.max(retentionMs, staleMs));
  let total = 0;
  for (;;) {
    // The conditions are repeated on the deleted row: a row taken over or completed between the select and
    // the delete is re-checked on its new version (READ COMMITTED) and kept.
    const deleted = await sql`
      delete from generation_requests g
      using (
        select user_id, idempotency_key from generation_requests
        where updated_at < ${completedBefore} and (state = 'completed' or updated_at < ${pendingBefore})
        limit ${batchSize}
      ) d
      where g.user_id = d.user_id and g.idempotency_key = d.idempotency_key
        and g.updated_at < ${completedBefore} and (g.state = 'completed' or g.updated_at < ${pendingBefore})`;
    total += deleted.count;
    if (deleted.count < batchSize) return total;
  }
}

export interface IdempotencyKeyPrunerOptions extends Omit<PruneGenerationRequestsOptions, 'batchSize'> {
  logger: Logger;
  /** Default every 10 minutes. */
  intervalMs?: number;
}

/** Prunes expired Idempotency-Keys once now and then on an interval (startPeriodicTask: runs never overlap). */
export function startIdempotencyKeyPruner({ logger, intervalMs = 600_000, ...options }: IdempotencyKeyPrunerOptions): { pruneOnce(): Promise<number>; stop(): void } {
  const task = startPeriodicTask({
    name: 'Idempotency-Key pruning',
    intervalMs,
    logger,
    runAtStart: true,
    run: async () => {
      const pruned = await pruneGenerationRequests(options);
      if (pruned > 0) logger.info({ pruned }, 'pruned expired generation Idempotency-Keys');
      return pruned;
    },
  });
  return { pruneOnce: task.runOnce, stop: task.stop };
}
