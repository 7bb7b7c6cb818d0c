// The runner refuses unsafe situations with one clear line and changes nothing.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { freePort } from '../stack/free-port';
import { loadMigrations } from './load-migrations';
import { migrateDown } from './migrate-down';
import { migrateUp } from './migrate-up';
import { runMigrationCommand } from './migration-command';
import { MigrationError, type MigrationErrorCode } from './migration-error';
import { migrationStatus } from './migration-status';
import { copyMigrations, type MigrationsFixture } from './migrations-fixture';

const log = () => {};
const shipped = loadMigrations();

let db: TestDatabase;
let fixture: MigrationsFixture;
beforeEach(async () => {
  db = await createTestDatabase({ migrated: false });
  fixture = copyMigrations();
});
afterEach(async () => {
  fixture.cleanup();
  await db.drop();
});

async function expectMigrationError(promise: Promise<unknown>, code: MigrationErrorCode): Promise<MigrationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MigrationError);
  expect((error as MigrationError).code).toBe(code);
  return error as MigrationError;
}

const bookkeeping = (sql: TestDatabase['sql']) => sql<{ id: number; name: string; checksum: string }[]>`select id, name, checksum from storyforge_migrations order by id`;
const tableExists = async (sql: TestDatabase['sql'], name: string) =>
  (await sql<{ present: boolean }[]>`select to_regclass(${name}) is not null as present`)[0]?.present;

describe('edited after apply', () => {
  it('refuses up and down with a one-line message naming the file, and changes nothing', async () => {
    await migrateUp({ databaseUrl: db.url, log, migrationsDir: fixture.dir });
    const before = await bookkeeping(db.sql);
    fixture.add('extra', 'CREATE TABLE "extra" (id int);', 'DROP TABLE "extra";');
    fixture.append('0000_initial.sql', '\n-- a "harmless" comment is still an edit\n');

    const up = await expectMigrationError(migrateUp({ databaseUrl: db.url, log, migrationsDir: fixture.dir }), 'MIGRATION_CHECKSUM_MISMATCH');
    expect(up.oneLine()).toMatch(/0000_initial\.sql was edited after it was applied/);
    expect(up.oneLine()).toMatch(/restore db\/migrations\/0000_initial\.sql from git/);
    expect(up.oneLine()).not.toContain('\n');
    expect(await tableExists(db.sql, 'extra')).toBe(false);

    await expectMigrationError(migrateDown({ databaseUrl: db.url, log, migrationsDir: fixture.dir, to: -1 }), 'MIGRATION_CHECKSUM_MISMATCH');
    expect(await tableExists(db.sql, 'media_assets')).toBe(true);
    expect(await bookkeeping(db.sql)).toEqual(before);

    const status = await migrationStatus({ databaseUrl: db.url, migrationsDir: fixture.dir });
    expect(status.map((s) => s.state)).toEqual(['edited', ...shipped.slice(1).map(() => 'applied'), 'pending']);

    const lines: string[] = [];
    const code = await runMigrationCommand({ argv: ['up'], databaseUrl: db.url, log, logError: (l) => lines.push(l), migrationsDir: fixture.dir });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error MIGRATION_CHECKSUM_MISMATCH: migration 0000_initial\.sql was edited/);
  });

  it('does not count a CRLF checkout as an edit', async () => {
    await migrateUp({ databaseUrl: db.url, log, migrationsDir: fixture.dir });
    fixture.write('0001_cache_and_media.sql', fixture.read('0001_cache_and_media.sql').replace(/\n/g, '\r\n'));
    expect((await migrateUp({ databaseUrl: db.url, log, migrationsDir: fixture.dir })).applied).toEqual([]);
  });

  it('refuses a database that has migrations this checkout does not know', async () => {
    await migrateUp({ databaseUrl: db.url, log, migrationsDir: fixture.dir });
    fixture.truncateJournal(1);
    const error = await expectMigrationError(migrateUp({ databaseUrl: db.url, log, migrationsDir: fixture.dir }), 'MIGRATION_UNKNOWN_APPLIED');
    expect(error.message).toContain('0001_cache_and_media');
    await expectMigrationError(migrateDown({ databaseUrl: db.url, log, migrationsDir: fixture.dir }), 'MIGRATION_UNKNOWN_APPLIED');
    expect(await tableExists(db.sql, 'media_assets')).toBe(true);
  });
});

describe('failures leave nothing half-done', () => {
  it('a failing migration is rolled back whole and not recorded', async () => {
    const broken = fixture.add('broken', 'CREATE TABLE "half_done" (id int);\n--> statement-breakpoint\nSELECT 1 / 0;', 'DROP TABLE "half_done";');
    const error = await expectMigrationError(migrateUp({ databaseUrl: db.url, log, migrationsDir: fixture.dir }), 'MIGRATION_FAILED');
    expect(error.details).toMatchObject({ name: broken, sqlState: '22012', direction: 'up' });
    expect(await tableExists(db.sql, 'half_done')).toBe(false);
    // The migrations before it were each committed in their own transaction.
    expect((await bookkeeping(db.sql)).map((r) => r.name)).toEqual(shipped.map((f) => f.name));
  });

  it('refuses to roll back when a down file is missing, before changing anything', async () => {
    await migrateUp({ databaseUrl: db.url, log, migrationsDir: fixture.dir });
    fixture.remove('0000_initial.down.sql');
    const error = await expectMigrationError(migrateDown({ databaseUrl: db.url, log, migrationsDir: fixture.dir, to: -1 }), 'MIGRATION_DOWN_MISSING');
    expect(error.message).toContain('0000_initial');
    // 0001 would have been rolled back first if the check came late: it must still be there.
    expect(await tableExists(db.sql, 'media_assets')).toBe(true);
    expect(await bookkeeping(db.sql)).toHaveLength(shipped.length);
  });

  it('refuses a rollback target out of range', async () => {
    await migrateUp({ databaseUrl: db.url, log });
    await expectMigrationError(migrateDown({ databaseUrl: db.url, log, to: shipped.length }), 'INVALID_TARGET');
    await expectMigrationError(migrateDown({ databaseUrl: db.url, log, to: -2 }), 'INVALID_TARGET');
    await expectMigrationError(migrateUp({ databaseUrl: db.url, log, to: 99 }), 'INVALID_TARGET');
    const lines: string[] = [];
    expect(await runMigrationCommand({ argv: ['down', '--to', 'x'], databaseUrl: db.url, log, logError: (l) => lines.push(l) })).toBe(2);
    expect(await bookkeeping(db.sql)).toHaveLength(shipped.length);
  });
});

describe('a runner killed mid-migration', () => {
  it('leaves nothing half-applied, releases the lock, and a rerun completes', async () => {
    await migrateUp({ databaseUrl: db.url, log, migrationsDir: fixture.dir });
    const name = fixture.add('long', 'CREATE TABLE "long_marker" (id int);\n--> statement-breakpoint\nSELECT pg_sleep(2);', 'DROP TABLE "long_marker";');
    const running = migrateUp({ databaseUrl: db.url, log, migrationsDir: fixture.dir }).catch((e: unknown) => e);
    // Wait until the migration is inside its transaction, then kill its backend (a crash or a dropped connection).
    let killed = false;
    for (let i = 0; i < 100 && !killed; i++) {
      const rows = await db.sql`select pg_terminate_backend(pid) as ok from pg_stat_activity
        where application_name = 'storyforge-migrate' and datname = ${db.name} and query like '%pg_sleep(2)%'`;
      killed = rows.length > 0;
      if (!killed) await new Promise((r) => setTimeout(r, 50));
    }
    expect(killed).toBe(true);
    const error = await running;
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).code).toBe('MIGRATION_FAILED');
    expect((error as MigrationError).details).toMatchObject({ name, connectionLost: true });
    expect(await tableExists(db.sql, 'long_marker')).toBe(false);
    expect((await bookkeeping(db.sql)).map((r) => r.name)).toEqual(shipped.map((f) => f.name));
    expect((await migrateUp({ databaseUrl: db.url, log, migrationsDir: fixture.dir })).applied).toEqual([name]);
    expect(await tableExists(db.sql, 'long_marker')).toBe(true);
  });
});

describe('concurrent runners', () => {
  it('apply each migration exactly once', async () => {
    // A slow last migration keeps the lock held long enough that the runners really overlap.
    const slow = fixture.add('slow', 'SELECT pg_sleep(0.3);\n--> statement-breakpoint\nCREATE TABLE "slow_marker" (id int);', 'DROP TABLE "slow_marker";');
    const waits: string[] = [];
    const runners = Array.from({ length: 4 }, () =>
      migrateUp({ databaseUrl: db.url, migrationsDir: fixture.dir, log: (line) => (line.includes('waiting') ? waits.push(line) : undefined) }),
    );
    const results = await Promise.all(runners);
    const applied = results.flatMap((r) => r.applied);
    expect(applied.sort()).toEqual([...shipped.map((f) => f.name), slow].sort());
    expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
    expect(waits.length).toBeGreaterThan(0);
    expect((await bookkeeping(db.sql)).map((r) => r.id)).toEqual([...shipped.map((f) => f.id), shipped.length]);
  });
});

describe('unreachable database', () => {
  it('names the cause and what to do, without the password', async () => {
    const port = await freePort();
    const url = `postgres://postgres:s3cret@127.0.0.1:${port}/nowhere`;
    const error = await expectMigrationError(migrateUp({ databaseUrl: url, log }), 'DATABASE_UNREACHABLE');
    expect(error.oneLine()).toMatch(/connection refused \(ECONNREFUSED\)/);
    expect(error.oneLine()).toMatch(/DATABASE_URL/);
    expect(error.oneLine()).not.toContain('s3cret');
    await expectMigrationError(migrateDown({ databaseUrl: url, log }), 'DATABASE_UNREACHABLE');
    await expectMigrationError(migrationStatus({ databaseUrl: url }), 'DATABASE_UNREACHABLE');
  });

  it('reports a database that does not exist', async () => {
    const url = new URL(db.url);
    url.pathname = '/no_such_database';
    const error = await expectMigrationError(migrateUp({ databaseUrl: url.toString(), log }), 'DATABASE_UNREACHABLE');
    expect(error.message).toMatch(/database does not exist \(3D000\)/);
  });

  it('the CLI prints one line and exits non-zero', async () => {
    const port = await freePort();
    const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const child = spawn(tsx, [cli, 'up'], { env: { ...process.env, DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/x` } });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^\[migrate\] error DATABASE_UNREACHABLE: cannot use the database at postgres:\/\/postgres@127\.0\.0\.1:\d+\/x: connection refused/);
  });
});
