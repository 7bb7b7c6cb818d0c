import { readApplied } from './bookkeeping';
import { connectForMigrations } from './connect';
import { loadMigrations } from './load-migrations';
import type { MigrateOptions } from './session';

export type MigrationState = 'applied' | 'pending' | 'edited' | 'unknown';

export interface MigrationStatusEntry {
  id: number;
  name: string;
  /** applied; pending; edited = applied but the file changed since; unknown = applied, no file here. */
  state: MigrationState;
  appliedAt: Date | null;
  hasDown: boolean;
}

/** Read-only: takes no lock and creates nothing, so it is safe against any database. */
export async function migrationStatus(options: Omit<MigrateOptions, 'log'> & { log?: MigrateOptions['log'] }): Promise<MigrationStatusEntry[]> {
  const files = loadMigrations(options.migrationsDir);
  const sql = await connectForMigrations(options.databaseUrl);
  try {
    const applied = new Map((await readApplied(sql)).map((row) => [row.id, row]));
    const entries: MigrationStatusEntry[] = files.map((file) => {
      const row = applied.get(file.id);
      const edited = row !== undefined && (row.checksum !== file.checksum || row.name !== file.name);
      return {
        id: file.id,
        name: file.name,
        state: row === undefined ? 'pending' : edited ? 'edited' : 'applied',
        appliedAt: row?.appliedAt ?? null,
        hasDown: file.downSql !== null,
      };
    });
    for (const row of applied.values()) {
      if (files[row.id] === undefined) entries.push({ id: row.id, name: row.name, state: 'unknown', appliedAt: row.appliedAt, hasDown: false });
    }
    return entries;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
