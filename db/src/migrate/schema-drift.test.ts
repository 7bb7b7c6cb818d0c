// The Drizzle schema and db/migrations agree: drizzle-kit finds nothing to generate, and every
// migration has its hand-written down file. Catches "edited a table, forgot the migration".
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, loadMigrations } from './load-migrations';

const run = promisify(execFile);
const drizzleKit = fileURLToPath(new URL('../../../node_modules/.bin/drizzle-kit', import.meta.url));
const schemaEntry = fileURLToPath(new URL('../schema/index.ts', import.meta.url));

describe('schema vs migrations', () => {
  it('drizzle-kit generate has nothing to add', async () => {
    const work = mkdtempSync(join(tmpdir(), 'storyforge-drift-'));
    try {
      cpSync(DEFAULT_MIGRATIONS_DIR, join(work, 'migrations'), { recursive: true });
      const before = readdirSync(join(work, 'migrations')).sort();
      // drizzle-kit prefixes --out with './', so give it a relative path from its cwd.
      const { stdout } = await run(drizzleKit, ['generate', '--dialect', 'postgresql', '--schema', schemaEntry, '--out', './migrations'], {
        cwd: work,
        env: { ...process.env, NO_COLOR: '1' },
      });
      expect(stdout).toContain('No schema changes');
      expect(readdirSync(join(work, 'migrations')).sort()).toEqual(before);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('every migration has a down file and the journal matches the files', () => {
    const migrations = loadMigrations();
    expect(migrations.length).toBeGreaterThanOrEqual(2);
    for (const [i, m] of migrations.entries()) {
      expect(m.id).toBe(i);
      expect(m.name.startsWith(String(i).padStart(4, '0'))).toBe(true);
      expect(m.downSql, `${m.name}.down.sql`).not.toBeNull();
    }
    const sqlFiles = readdirSync(DEFAULT_MIGRATIONS_DIR).filter((f) => f.endsWith('.sql') && !f.endsWith('.down.sql'));
    expect(sqlFiles.sort()).toEqual(migrations.map((m) => `${m.name}.sql`));
  });
});
