import type { Logger } from 'pino';
import type { VectorStore } from './vector-store';

export interface ExpirySweeperOptions {
  store: VectorStore;
  now: () => number;
  logger: Logger;
  /** Default hourly. Expired entries are already invisible to queries; this only frees space. */
  intervalMs?: number;
}

/** Periodically deletes expired L2 entries (pgvector: one DELETE; Pinecone: delete-by-filter per namespace). */
export function startExpirySweeper({ store, now, logger, intervalMs = 3_600_000 }: ExpirySweeperOptions): { sweepOnce(): Promise<number>; stop(): void } {
  let running: Promise<number> | null = null;
  const sweepOnce = (): Promise<number> => {
    running ??= store
      .deleteExpired(now())
      .then((n) => {
        if (n > 0) logger.info({ store: store.name, removed: n }, 'swept expired L2 entries');
        return n;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => {
    sweepOnce().catch((err: unknown) => logger.warn({ err, store: store.name }, 'L2 expiry sweep failed; retrying next interval'));
  }, intervalMs);
  timer.unref();
  return { sweepOnce, stop: () => clearInterval(timer) };
}
