import { MIGRATIONS_TABLE, readApplied, verifyApplied } from './bookkeeping';
import { loadMigrations } from './load-migrations';
import { MigrationError } from './migration-error';
import { type MigrateOptions, runInTransaction, withMigrationLock } from './session';

export interface MigrateDownOptions extends MigrateOptions {
  /**
   * Id (journal idx, the NNNN prefix) of the last migration to KEEP. Default: the one before the
   * latest applied, i.e. roll back exactly one. -1 rolls back everything.
   */
  to?: number;
}

export interface MigrateDownResult {
  /** Names rolled back by this call, newest first. */
  rolledBack: string[];
}

/**
 * Runs the hand-written NNNN_name.down.sql of every applied migration newer than `to`, newest first,
 * each in its own transaction with its bookkeeping row. Checks every file first (checksums, down files
 * present) so a refusal changes nothing.
 *
 * @example await migrateDown({ databaseUrl, log, to: 0 }) // keep only 0000_initial
 */
export async function migrateDown(options: MigrateDownOptions): Promise<MigrateDownResult> {
  const files = loadMigrations(options.migrationsDir);
  return withMigrationLock(options, async (session) => {
    const applied = await readApplied(session.sql);
    verifyApplied(applied, files);
    const latest = applied.at(-1)?.id ?? -1;
    const to = options.to ?? latest - 1;
    if (!Number.isInteger(to) || to < -1 || to > latest) {
      throw new MigrationError(
        'INVALID_TARGET',
        `cannot roll back to ${String(to)}: the latest applied migration is ${latest}`,
        `pass --to N with -1 ≤ N ≤ ${latest} (N = the last migration to keep; -1 = all)`,
        { to, latest },
      );
    }
    const targets = applied.filter((row) => row.id > to).reverse();
    for (const row of targets) {
      const file = files[row.id];
      if (file?.downSql === null || file === undefined) {
        throw new MigrationError(
          'MIGRATION_DOWN_MISSING',
          `migration ${row.name} has no ${row.name}.down.sql`,
          'write the down migration (it must undo the up file exactly) before rolling back; nothing was changed',
          { id: row.id, name: row.name },
        );
      }
    }
    const names: string[] = [];
    for (const row of targets) {
      const file = files[row.id];
      if (file === undefined || file.downSql === null) continue; // checked above
      const started = performance.now();
      await runInTransaction(session, {
        file,
        direction: 'down',
        body: file.downSql,
        record: `delete from "${MIGRATIONS_TABLE}" where id = ${file.id}`,
        lockTimeoutMs: options.lockTimeoutMs,
      });
      options.log(`rolled back ${file.name} (${Math.round(performance.now() - started)} ms)`);
      names.push(file.name);
    }
    if (names.length === 0) options.log('nothing to roll back');
    return { rolledBack: names };
  });
}
