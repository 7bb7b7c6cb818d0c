// Reads db/migrations: the ORDER is drizzle-kit's meta/_journal.json (entries by idx), because that is
// what drizzle-kit itself appends to; each entry NNNN_tag has NNNN_tag.sql (up) and NNNN_tag.down.sql.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MigrationError } from './migration-error';

export interface MigrationFile {
  /** The journal idx: 0, 1, … (also the NNNN prefix). */
  id: number;
  /** File stem, e.g. `0001_cache_and_media`. */
  name: string;
  upSql: string;
  /** null when the .down.sql file is missing (then it cannot be rolled back). */
  downSql: string | null;
  /** sha256 hex of the up SQL with line endings normalised (a CRLF checkout is not an edit). */
  checksum: string;
}

interface Journal {
  entries: { idx: number; tag: string }[];
}

/** db/migrations of this package, found relative to this source file (works from any cwd). */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

export function checksumOf(sqlText: string): string {
  return createHash('sha256').update(sqlText.replace(/\r\n/g, '\n')).digest('hex');
}

export function loadMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): MigrationFile[] {
  const journalPath = join(dir, 'meta', '_journal.json');
  if (!existsSync(journalPath)) {
    throw new MigrationError('MIGRATION_FILE_MISSING', `no migration journal at ${journalPath}`, 'run `npx drizzle-kit generate` from the repository root', { path: journalPath });
  }
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as Journal;
  const entries = [...journal.entries].sort((a, b) => a.idx - b.idx);
  return entries.map((entry, position) => {
    if (entry.idx !== position) {
      throw new MigrationError('MIGRATION_FILE_MISSING', `migration journal has a gap before idx ${entry.idx}`, `restore ${journalPath} from git`, { idx: entry.idx });
    }
    const upPath = join(dir, `${entry.tag}.sql`);
    if (!existsSync(upPath)) {
      throw new MigrationError('MIGRATION_FILE_MISSING', `migration file ${upPath} is listed in the journal but missing`, 'restore it from git', { path: upPath });
    }
    const upSql = readFileSync(upPath, 'utf8');
    const downPath = join(dir, `${entry.tag}.down.sql`);
    const downSql = existsSync(downPath) ? readFileSync(downPath, 'utf8') : null;
    return { id: entry.idx, name: entry.tag, upSql, downSql, checksum: checksumOf(upSql) };
  });
}
