import type postgres from 'postgres';
import { acquireMigrationLock, ensureMigrationsTable, releaseMigrationLock } from './bookkeeping';
import { connectForMigrations } from './connect';
import { MigrationError } from './migration-error';
import type { MigrationFile } from './load-migrations';

export interface MigrateOptions {
  databaseUrl: string;
  log: (line: string) => void;
  /** Defaults to this package's db/migrations. Tests point it at a copy. */
  migrationsDir?: string;
  /**
   * How long one migration may wait for a table lock (default 10 s). An ALTER TABLE queued behind a
   * long app transaction would otherwise block every later query on that table while it waits;
   * failing fast (rolled back, nothing applied) and retrying later is kinder to a running app.
   */
  lockTimeoutMs?: number;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

/** Connect, take the advisory lock, make sure the bookkeeping table exists, run `work`, release. */
export async function withMigrationLock<T>(options: MigrateOptions, work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = await connectForMigrations(options.databaseUrl);
  try {
    await acquireMigrationLock(sql, options.log);
    try {
      await ensureMigrationsTable(sql);
      return await work(sql);
    } finally {
      // If the connection died the lock died with it; do not hide the real error behind this one.
      await releaseMigrationLock(sql).catch(() => {});
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** SQLSTATE 55P03 lock_not_available: lock_timeout expired. */
const LOCK_NOT_AVAILABLE = '55P03';

function sqlState(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return 'unknown';
}

/**
 * Runs one migration's SQL and its bookkeeping change in ONE transaction: either both happen or neither.
 * Simple-query protocol, so a file with many statements (and dollar-quoted function bodies) runs as is.
 */
export async function runInTransaction(
  sql: postgres.Sql,
  step: { file: MigrationFile; direction: 'up' | 'down'; body: string; lockTimeoutMs: number | undefined },
  record: (tx: postgres.TransactionSql) => Promise<unknown>,
): Promise<void> {
  const { file, direction, body } = step;
  const lockTimeoutMs = Math.max(0, Math.round(step.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS));
  try {
    await sql.begin(async (tx) => {
      // Migrations may legitimately run long (index builds): no statement_timeout, but a bounded lock wait.
      await tx.unsafe(`set local statement_timeout = 0; set local lock_timeout = ${lockTimeoutMs}`).simple();
      await tx.unsafe(body).simple();
      await record(tx);
    });
  } catch (cause) {
    const state = sqlState(cause);
    if (state === LOCK_NOT_AVAILABLE) {
      throw new MigrationError(
        'MIGRATION_LOCK_TIMEOUT',
        `migration ${file.name} (${direction}) waited more than ${lockTimeoutMs} ms for a table lock held by another session`,
        `nothing of it was applied; retry when long transactions have finished (see pg_stat_activity), or raise lockTimeoutMs`,
        { id: file.id, name: file.name, direction, sqlState: state, lockTimeoutMs },
        { cause },
      );
    }
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new MigrationError(
      'MIGRATION_FAILED',
      `migration ${file.name} (${direction}) failed with SQLSTATE ${state}: ${detail}`,
      `its transaction was rolled back, so ${file.name} is not ${direction === 'up' ? 'applied' : 'rolled back'}; fix the SQL or the database and run again`,
      { id: file.id, name: file.name, direction, sqlState: state },
      { cause },
    );
  }
}
