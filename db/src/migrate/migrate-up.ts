import { MIGRATIONS_TABLE, readApplied, verifyApplied } from './bookkeeping';
import { loadMigrations } from './load-migrations';
import { type MigrateOptions, runInTransaction, withMigrationLock } from './session';

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
export async function migrateUp(options: MigrateOptions): Promise<MigrateUpResult> {
  const files = loadMigrations(options.migrationsDir);
  return withMigrationLock(options, async (sql) => {
    const applied = await readApplied(sql);
    verifyApplied(applied, files);
    const done = new Set(applied.map((row) => row.id));
    const names: string[] = [];
    for (const file of files) {
      if (done.has(file.id)) continue;
      const started = performance.now();
      await runInTransaction(sql, file, 'up', file.upSql, (tx) =>
        tx`insert into ${tx(MIGRATIONS_TABLE)} (id, name, checksum) values (${file.id}, ${file.name}, ${file.checksum})`,
      );
      options.log(`applied ${file.name} (${Math.round(performance.now() - started)} ms)`);
      names.push(file.name);
    }
    if (names.length === 0) options.log('database is up to date');
    return { applied: names };
  });
}
