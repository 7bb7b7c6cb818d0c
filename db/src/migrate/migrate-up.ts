import { MIGRATIONS_TABLE, readApplied, verifyApplied } from './bookkeeping';
import { loadMigrations } from './load-migrations';
import { MigrationError } from './migration-error';
import { literal, type MigrateOptions, runInTransaction, withMigrationLock } from './session';

export interface MigrateUpOptions extends MigrateOptions {
  /** Id (journal idx) of the last migration to apply. Default: all of them. */
  to?: number;
}

export interface MigrateUpResult {
  /** Names applied by this call, in order (empty when the database was already up to date). */
  applied: string[];
}

/**
 * Applies every pending migration in journal order, each in its own transaction, under an advisory
 * lock (a concurrent runner waits, then finds nothing to do). Refuses, changing nothing, when an
 * applied migration's file was edited since.
 *
 * @example await migrateUp({ databaseUrl: process.env.DATABASE_URL!, log: console.log })
 */
export async function migrateUp(options: MigrateUpOptions): Promise<MigrateUpResult> {
  const files = loadMigrations(options.migrationsDir);
  const to = options.to ?? files.length - 1;
  if (!Number.isInteger(to) || to < -1 || to >= files.length) {
    throw new MigrationError(
      'INVALID_TARGET',
      `cannot migrate up to ${String(to)}: the migrations go from 0 to ${files.length - 1}`,
      `pass --to N with -1 ≤ N ≤ ${files.length - 1}, or omit it to apply everything`,
      { to, latest: files.length - 1 },
    );
  }
  return withMigrationLock(options, async (session) => {
    const applied = await readApplied(session.sql);
    verifyApplied(applied, files);
    const done = new Set(applied.map((row) => row.id));
    const names: string[] = [];
    for (const file of files) {
      if (done.has(file.id) || file.id > to) continue;
      const started = performance.now();
      await runInTransaction(session, {
        file,
        direction: 'up',
        body: file.upSql,
        record: `insert into "${MIGRATIONS_TABLE}" (id, name, checksum) values (${file.id}, ${literal(file.name)}, ${literal(file.checksum)})`,
        lockTimeoutMs: options.lockTimeoutMs,
      });
      options.log(`applied ${file.name} (${Math.round(performance.now() - started)} ms)`);
      names.push(file.name);
    }
    if (names.length === 0) options.log('database is up to date');
    return { applied: names };
  });
}
