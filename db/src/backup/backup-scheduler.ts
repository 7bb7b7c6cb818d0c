import { backupAndPrune } from './backup-and-prune';
import { listBackups } from './backup-file';
import { BackupError } from './backup-error';
import { databaseName } from './database-url';

export interface BackupSchedulerOptions {
  databaseUrl: string;
  dir: string;
  log: (line: string) => void;
  /** Time between backups; default one day. */
  intervalMs?: number;
  now?: () => Date;
}

export interface BackupScheduler {
  /** Resolves once the next run is due or in flight; for tests and orderly shutdown. */
  stop(): Promise<void>;
  /** The currently running backup, if any (tests await it). */
  running(): Promise<void> | undefined;
}

export const DAY_MS = 86_400_000;
/** Env var that turns on the server's own daily backup, naming the directory it writes to. */
export const BACKUP_DIR_ENV = 'STORYFORGE_BACKUP_DIR';

/**
 * Runs a backup (with retention) whenever the newest backup of this database in `dir` is older than
 * `intervalMs`: at start if one is overdue, then once per interval. Restarting the server does not
 * cause an extra backup, and a missed day is caught up at the next start. Failures are logged and
 * retried at the next tick (one hour or the interval, whichever is shorter); they never throw.
 *
 * @example
 *   const scheduler = startBackupScheduler({ databaseUrl, dir: '/var/backups/storyforge', log });
 *   // on shutdown
 *   await scheduler.stop();
 */
export function startBackupScheduler({
  databaseUrl,
  dir,
  log,
  intervalMs = DAY_MS,
  now = () => new Date(),
}: BackupSchedulerOptions): BackupScheduler {
  const database = databaseName(databaseUrl);
  const retryMs = Math.min(intervalMs, 3_600_000);
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let stopped = false;

  const dueInMs = (): number => {
    const newest = listBackups(dir).find((b) => b.database === database);
    if (newest === undefined) return 0;
    return Math.max(0, newest.takenAt.getTime() + intervalMs - now().getTime());
  };

  const schedule = (delayMs: number): void => {
    if (stopped) return;
    timer = setTimeout(tick, delayMs);
    timer.unref();
  };

  const tick = (): void => {
    let wait: number;
    try {
      wait = dueInMs();
    } catch (error) {
      log(`backup scheduler cannot read ${dir}: ${error instanceof Error ? error.message : String(error)}`);
      schedule(retryMs);
      return;
    }
    if (wait > 0) return schedule(wait);
    inFlight = backupAndPrune({ databaseUrl, dir, log, now })
      .then(
        (result) => {
          log(`backup done: kept ${result.kept.length}, removed ${result.removed.length}`);
          schedule(intervalMs);
        },
        (error: unknown) => {
          log(`backup failed: ${error instanceof BackupError ? error.oneLine() : String(error)}`);
          schedule(retryMs);
        },
      )
      .finally(() => {
        inFlight = undefined;
      });
  };

  schedule(0);
  return {
    running: () => inFlight,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await inFlight;
    },
  };
}

/** The scheduler when `STORYFORGE_BACKUP_DIR` is set, otherwise undefined (backups are opt-in). */
export function startBackupSchedulerFromEnv(
  options: Omit<BackupSchedulerOptions, 'dir'> & { env?: NodeJS.ProcessEnv },
): BackupScheduler | undefined {
  const { env = process.env, ...rest } = options;
  const dir = env[BACKUP_DIR_ENV];
  if (dir === undefined || dir === '') return undefined;
  rest.log(`daily backups enabled into ${dir}`);
  return startBackupScheduler({ ...rest, dir });
}
