// Our own record of applied migrations (not drizzle's __drizzle_migrations: it has no down and no checksum check).
import type postgres from 'postgres';
import { MigrationError } from './migration-error';
import type { MigrationFile } from './load-migrations';

export const MIGRATIONS_TABLE = 'storyforge_migrations';

export interface AppliedMigration {
  id: number;
  name: string;
  checksum: string;
  appliedAt: Date;
}

/** Session advisory lock: a second runner waits here, then finds the work done. */
export async function acquireMigrationLock(sql: postgres.Sql, log: (line: string) => void): Promise<void> {
  const [row] = await sql<{ locked: boolean }[]>`select pg_try_advisory_lock(hashtext(${MIGRATIONS_TABLE})) as locked`;
  if (row?.locked === true) return;
  log('another migration runner holds the lock; waiting for it to finish');
  await sql`select pg_advisory_lock(hashtext(${MIGRATIONS_TABLE}))`;
}

export async function releaseMigrationLock(sql: postgres.Sql): Promise<void> {
  await sql`select pg_advisory_unlock(hashtext(${MIGRATIONS_TABLE}))`;
}

/** Call with the lock held (CREATE TABLE IF NOT EXISTS itself races between sessions). */
export async function ensureMigrationsTable(sql: postgres.Sql): Promise<void> {
  await sql.unsafe(`create table if not exists "${MIGRATIONS_TABLE}" (
    id integer primary key,
    name text not null,
    checksum text not null,
    applied_at timestamptz not null default now()
  )`);
}

export async function readApplied(sql: postgres.Sql): Promise<AppliedMigration[]> {
  const [exists] = await sql<{ present: boolean }[]>`select to_regclass(${MIGRATIONS_TABLE}) is not null as present`;
  if (exists?.present !== true) return [];
  const rows = await sql<{ id: number; name: string; checksum: string; applied_at: Date }[]>`
    select id, name, checksum, applied_at from ${sql(MIGRATIONS_TABLE)} order by id`;
  return rows.map((r) => ({ id: r.id, name: r.name, checksum: r.checksum, appliedAt: r.applied_at }));
}

/**
 * Refuses to go on when the files on disk no longer match what the database ran. Runs before any
 * change, so a refusal changes nothing.
 */
export function verifyApplied(applied: readonly AppliedMigration[], files: readonly MigrationFile[]): void {
  for (const row of applied) {
    const file = files[row.id];
    if (file === undefined) {
      throw new MigrationError(
        'MIGRATION_UNKNOWN_APPLIED',
        `the database has migration ${row.name} applied, but there is no such migration in db/migrations`,
        'this database is newer than this checkout: update the code (git pull) or restore a matching backup; nothing was changed',
        { id: row.id, name: row.name },
      );
    }
    if (file.name !== row.name || file.checksum !== row.checksum) {
      throw new MigrationError(
        'MIGRATION_CHECKSUM_MISMATCH',
        `migration ${file.name}.sql was edited after it was applied as ${row.name} (checksum ${row.checksum.slice(0, 12)} in the database, ${file.checksum.slice(0, 12)} on disk)`,
        `restore db/migrations/${file.name}.sql from git and put the change in a new migration (npx drizzle-kit generate); nothing was changed`,
        { id: row.id, name: file.name, appliedName: row.name, appliedChecksum: row.checksum, fileChecksum: file.checksum },
      );
    }
  }
}
