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
}

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
  file: MigrationFile,
  direction: 'up' | 'down',
  body: string,
  record: (tx: postgres.TransactionSql) => Promise<unknown>,
): Promise<void> {
  try {
    await sql.begin(async (tx) => {
      await tx.unsafe(body).simple();
      await record(tx);
    });
  } catch (cause) {
    const state = sqlState(cause);
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
