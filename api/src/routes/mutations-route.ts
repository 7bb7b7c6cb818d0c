import { Hono } from 'hono';
import type { Logger } from 'pino';
import type postgres from 'postgres';
import type { AuthVariables } from '../auth/require-auth';
import type { ServerClock } from '../clock/server-clock';
import { isRetryableSqlState, sqlState } from '../errors/pg-error';
import { readBody, requireJson } from '../http/require-json';
import { FastPathAbandoned } from '../mutations/apply-batch-fast';
import { applyMutations, type ApplyMutationsResult } from '../mutations/apply-mutations';
import { mutationBatchSchema } from '../mutations/mutation-schema';
import { withTransaction } from '../mutations/with-transaction';
import type { MutationMetrics } from '../metrics/mutation-metrics';

export interface MutationsRouteDeps {
  sql: postgres.Sql;
  clock: ServerClock;
  logger: Logger;
  metrics: MutationMetrics;
  /** Whole-transaction attempts on deadlock / serialization failure. */
  maxAttempts?: number;
  /** Apply batches set-based first (default true); false = always one savepoint per mutation. */
  fastPath?: boolean;
}

/** POST /v1/mutations: one batch, one transaction, a result per mutation plus the txid. */
export function mutationsRoute({ sql, clock, logger, metrics, maxAttempts = 5, fastPath = true }: MutationsRouteDeps) {
  return new Hono<{ Variables: AuthVariables & { requestId: string } }>().post('/', requireJson, async (c) => {
    const { clientId, mutations } = await readBody(c.req, mutationBatchSchema, 'The body is not a valid mutation batch');
    const userId = c.get('userId');
    let outcome: ApplyMutationsResult | undefined;
    let fast = fastPath;
    for (let attempt = 1; outcome === undefined; attempt++) {
      try {
        outcome = await withTransaction(sql, (tx) => applyMutations({ tx, userId, clientId, mutations, clock, fast }));
      } catch (e) {
        if (e instanceof FastPathAbandoned) {
          // Rolled back; the per-mutation path gives each mutation its own answer.
          metrics.fallbacks.inc();
          fast = false;
          continue;
        }
        if (!isRetryableSqlState(sqlState(e)) || attempt >= maxAttempts) throw e;
        metrics.retries.inc();
        logger.debug({ attempt, sqlstate: sqlState(e), requestId: c.get('requestId') }, 'retrying mutation batch');
        await new Promise((r) => setTimeout(r, Math.random() * 5 * 2 ** attempt));
      }
    }
    for (const r of outcome.results) {
      metrics.mutations.inc({ status: r.status, code: r.status === 'rejected' ? r.error.code : '' });
    }
    return c.json(outcome);
  });
}
