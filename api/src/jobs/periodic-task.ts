import type { Logger } from 'pino';

export interface PeriodicTaskOptions<T> {
  /** Names the task in the log line of a failed run. */
  name: string;
  run: () => Promise<T>;
  intervalMs: number;
  logger: Logger;
  /** Also run once right away (not only after the first interval). */
  runAtStart?: boolean;
}

export interface PeriodicTask<T> {
  /** Runs the task now, or joins the run in progress: two runs of one task never overlap. */
  runOnce(): Promise<T>;
  /** Stops the timer; a run in progress finishes (await runOnce() to wait for it). */
  stop(): void;
}

/**
 * The server's background upkeep (L2 expiry sweep, orphaned credit holds, expired Idempotency-Keys): a
 * timer that never keeps the process alive, runs that never overlap, and a failed run logged and retried
 * at the next interval.
 *
 * @example const sweeper = startPeriodicTask({ name: 'L2 expiry sweep', run: () => store.deleteExpired(Date.now()), intervalMs: 3_600_000, logger });
 */
export function startPeriodicTask<T>({ name, run, intervalMs, logger, runAtStart = false }: PeriodicTaskOptions<T>): PeriodicTask<T> {
  let running: Promise<T> | null = null;
  const runOnce = (): Promise<T> => {
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  };
  const tick = (): void => {
    runOnce().catch((err: unknown) => logger.warn({ err, task: name }, `${name} failed; retrying next interval`));
  };
  if (runAtStart) tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
