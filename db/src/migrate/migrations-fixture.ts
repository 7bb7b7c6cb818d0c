// Test helper: a private copy of db/migrations that a test may edit, extend or break.
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MIGRATIONS_DIR } from './load-migrations';

interface Journal {
  entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[];
}

export interface MigrationsFixture {
  dir: string;
  /** Adds NNNN_tag.sql (+ .down.sql when given) at the end of the journal, as drizzle-kit would. */
  add(tag: string, upSql: string, downSql?: string): string;
  append(fileName: string, text: string): void;
  write(fileName: string, text: string): void;
  read(fileName: string): string;
  remove(fileName: string): void;
  /** Keeps only the first `count` journal entries (a checkout older than the database). */
  truncateJournal(count: number): void;
  cleanup(): void;
}

export function copyMigrations(): MigrationsFixture {
  const dir = mkdtempSync(join(tmpdir(), 'storyforge-migrations-'));
  cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const readJournal = () => JSON.parse(readFileSync(journalPath, 'utf8')) as Journal;
  return {
    dir,
    add(tag, upSql, downSql) {
      const journal = readJournal();
      const idx = journal.entries.length;
      const name = `${String(idx).padStart(4, '0')}_${tag}`;
      journal.entries.push({ idx, version: '7', when: Date.now(), tag: name, breakpoints: true });
      writeFileSync(journalPath, JSON.stringify(journal, null, 2));
      writeFileSync(join(dir, `${name}.sql`), upSql);
      if (downSql !== undefined) writeFileSync(join(dir, `${name}.down.sql`), downSql);
      return name;
    },
    append: (fileName, text) => appendFileSync(join(dir, fileName), text),
    write: (fileName, text) => writeFileSync(join(dir, fileName), text),
    read: (fileName) => readFileSync(join(dir, fileName), 'utf8'),
    remove: (fileName) => rmSync(join(dir, fileName)),
    truncateJournal(count) {
      const journal = readJournal();
      journal.entries = journal.entries.slice(0, count);
      writeFileSync(journalPath, JSON.stringify(journal, null, 2));
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
