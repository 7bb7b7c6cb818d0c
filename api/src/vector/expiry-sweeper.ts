import type { Logger } from 'pino';
import { startPeriodicTask } from '../jobs/periodic-task';
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
  const task = startPeriodicTask({
    name: `L2 expiry sweep (${store.name})`,
    intervalMs,
    logger,
    run: async () => {
      const n = await store.deleteExpired(now());
      if (n > 0) logger.info({ store: store.name, removed: n }, 'swept expired L2 entries');
      return n;
    },
  });
  return { sweepOnce: task.runOnce, stop: task.stop };
}
