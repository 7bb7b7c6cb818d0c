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

/** The runner's one connection; `lost` once it died, so nothing more is sent on it. */
export interface MigrationSession {
  sql: postgres.Sql;
  lost: boolean;
}

/** Connect, take the advisory lock, make sure the bookkeeping table exists, run `work`, release. */
export async function withMigrationLock<T>(options: MigrateOptions, work: (session: MigrationSession) => Promise<T>): Promise<T> {
  const session: MigrationSession = { sql: await connectForMigrations(options.databaseUrl), lost: false };
  try {
    await acquireMigrationLock(session.sql, options.log);
    try {
      await ensureMigrationsTable(session.sql);
      return await work(session);
    } finally {
      // A lost session took its advisory lock with it; otherwise release it, without hiding the real error.
      if (!session.lost) await releaseMigrationLock(session.sql).catch(() => {});
    }
  } finally {
    await session.sql.end({ timeout: session.lost ? 0 : 5 });
  }
}

/** SQLSTATE 55P03 lock_not_available: lock_timeout expired. */
const LOCK_NOT_AVAILABLE = '55P03';

/** postgres.js connection codes and the SQLSTATEs of a backend that is gone (terminated, shut down). */
const CONNECTION_LOST = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006']);

function sqlState(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return 'unknown';
}

/** A SQL string literal (standard_conforming_strings is on by default since PG 9.1). */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export interface MigrationStep {
  file: MigrationFile;
  direction: 'up' | 'down';
  body: string;
  /** The bookkeeping statement that commits with the body (insert or delete of its row). */
  record: string;
  lockTimeoutMs: number | undefined;
}

/**
 * Runs one migration's SQL and its bookkeeping change in ONE transaction: either both happen or neither.
 *
 * One simple-protocol message `BEGIN; …; COMMIT;` rather than postgres.js `sql.begin()`: a file with many
 * statements (and dollar-quoted function bodies) runs as is, and postgres.js 3.4.9 crashes the process
 * (uncaught TypeError in nextWrite, porsager/postgres#1208) when a backend dies inside `begin()` — a
 * migration runner must survive exactly that. If a statement fails, Postgres skips the rest of the
 * message, so COMMIT never runs and our ROLLBACK ends the aborted transaction.
 */
export async function runInTransaction(session: MigrationSession, step: MigrationStep): Promise<void> {
  const { file, direction, body } = step;
  const lockTimeoutMs = Math.max(0, Math.round(step.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS));
  // Migrations may legitimately run long (index builds): no statement_timeout, but a bounded lock wait.
  const script = `BEGIN;\nSET LOCAL statement_timeout = 0;\nSET LOCAL lock_timeout = ${lockTimeoutMs};\n${body}\n;\n${step.record};\nCOMMIT;`;
  try {
    await session.sql.unsafe(script).simple();
  } catch (cause) {
    const state = sqlState(cause);
    if (CONNECTION_LOST.has(state)) {
      session.lost = true;
    } else {
      await session.sql.unsafe('ROLLBACK').simple().catch(() => {
        session.lost = true;
      });
    }
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
      `migration ${file.name} (${direction}) failed with ${state}: ${detail}`,
      session.lost
        ? `the connection was lost; Postgres rolled the transaction back, so ${file.name} is not ${direction === 'up' ? 'applied' : 'rolled back'}; run again`
        : `its transaction was rolled back, so ${file.name} is not ${direction === 'up' ? 'applied' : 'rolled back'}; fix the SQL or the database and run again`,
      { id: file.id, name: file.name, direction, sqlState: state, connectionLost: session.lost },
      { cause },
    );
  }
}
