// The command line end to end: `tsx db/src/migrate/cli.ts up | down --to N | status` against DATABASE_URL.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { loadMigrations } from './load-migrations';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const files = loadMigrations();

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
});
afterAll(() => db.drop());

function runCli(args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, [cli, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('migration CLI', () => {
  it('migrates, reports status, rolls back to N, and refuses bad usage', async () => {
    const env = { DATABASE_URL: db.url };
    const up = await runCli(['up'], env);
    expect(up).toMatchObject({ code: 0, stderr: '' });
    for (const f of files) expect(up.stdout).toContain(`[migrate] applied ${f.name}`);

    const down = await runCli(['down', '--to', '1'], env);
    expect(down.code).toBe(0);
    expect(down.stdout.match(/rolled back \S+/g)).toEqual(files.filter((f) => f.id > 1).map((f) => `rolled back ${f.name}`).reverse());

    const status = await runCli(['status'], env);
    expect(status.code).toBe(0);
    const states = status.stdout.trim().split('\n').map((line) => line.split(' ')[3]);
    expect(states).toEqual(files.map((f) => (f.id <= 1 ? 'applied' : 'pending')));

    expect((await runCli(['sideways'], env)).code).toBe(2);
    const noUrl = await runCli(['up'], { DATABASE_URL: '' });
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toMatch(/DATABASE_URL is not set/);
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from storyforge_migrations`;
    expect(row?.n).toBe(2);
  });
});
