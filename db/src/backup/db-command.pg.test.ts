// End-to-end check of `npm run db:backup|db:restore|db:seed` through scripts/cli.ts (what a person runs):
// exit codes and the one-line `code: cause — fix` errors.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dropDatabase, type TestDatabase } from '@storyforge/db/testing';
import { freePort } from '../stack/free-port';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function cli(args: string[], databaseUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'scripts', 'cli.ts'), 'db', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, INIT_CWD: root },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

describe('npm run db:* commands', () => {
  let db: TestDatabase;
  let dir: string;
  const restored = `cli_${Date.now().toString(36)}`;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'storyforge-cli-'));
  });
  afterAll(async () => {
    await dropDatabase(db.adminUrl, restored);
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds, backs up and restores with verification', { timeout: 120_000 }, async () => {
    const seed = await cli(['seed'], db.url);
    expect(seed.code).toBe(0);
    expect(seed.stdout).toContain('demo data: users 2');
    const backup = await cli(['backup', '--dir', dir], db.url);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/kept 1: .*\.dump/);
    const [file] = readdirSync(dir).filter((f) => f.endsWith('.dump'));
    const restore = await cli(['restore', join(dir, file ?? ''), '--into', restored], db.url);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/scenes +25 +[0-9a-f]{32} +ok/);
    expect(restore.stdout).toContain('every table verified against the manifest');
  });

  it('fails with one line and a non-zero exit on bad input, changing nothing', { timeout: 120_000 }, async () => {
    const garbage = join(dir, 'garbage.dump');
    writeFileSync(garbage, 'not a dump at all');
    const corrupt = await cli(['restore', garbage, '--into', 'cli_never_created'], db.url);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr.trim().split('\n')).toHaveLength(1);
    expect(corrupt.stderr).toMatch(/BACKUP_CORRUPT: .* — /);
    expect(await db.sql`select 1 from pg_database where datname like 'cli_never_created%'`).toHaveLength(0);

    const unreachable = await cli(['backup', '--dir', dir], `postgres://postgres@127.0.0.1:${await freePort()}/x`);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/DATABASE_UNREACHABLE: .* — /);

    const usage = await cli(['seed', '--scale', 'lots'], db.url);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--scale needs a positive whole number');
  });
});
