import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dropDatabase, type TestDatabase } from '@storyforge/db/testing';
import { freePort } from '../stack/free-port';
import { BackupError } from './backup-error';
import { createBackup } from './create-backup';
import { withDatabase } from './database-url';
import { readManifest } from './manifest';
import { restoreBackup } from './restore-backup';
import { databaseStats } from './table-stats';

const noLog = () => {};

async function expectBackupError(promise: Promise<unknown>, code: string): Promise<BackupError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackupError);
  expect((error as BackupError).code).toBe(code);
  return error as BackupError;
}

describe('backup → restore → verify', () => {
  let db: TestDatabase;
  let dir: string;
  const restored: string[] = [];
  const newName = () => {
    const name = `r_${randomBytes(5).toString('hex')}`;
    restored.push(name);
    return name;
  };
  const databasesLike = async (prefix: string) =>
    (await db.sql<{ datname: string }[]>`select datname from pg_database where datname like ${`${prefix}%`}`).map((r) => r.datname);

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    dir = mkdtempSync(join(tmpdir(), 'storyforge-backup-test-'));
    await db.sql`create extension if not exists vector`;
    await db.sql`create table items (
      id uuid primary key, title text not null, tags jsonb not null default '{}',
      embedding vector(4), at timestamptz not null, score double precision)`;
    await db.sql`create table events (kind text, payload jsonb)`; // no primary key on purpose
    await db.sql`insert into items
      select ('00000000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'item ' || i || ' ünïcode ✓',
        jsonb_build_object('i', i, 'odd', i % 2 = 1), ('[' || i || ',0.5,-1.25,1e-7]')::vector,
        timestamptz '2026-01-01 00:00:00+00' + i * interval '1 minute', i / 3.0
      from generate_series(1, 2000) i`;
    await db.sql`insert into events select 'k' || (i % 7), jsonb_build_object('n', i) from generate_series(1, 300) i`;
  });

  afterAll(async () => {
    for (const name of restored) await dropDatabase(db.adminUrl, name);
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a custom-format dump and a manifest that matches the source', async () => {
    const { path, manifest, manifestPath } = await createBackup({ databaseUrl: db.url, dir, log: noLog });
    expect(readFileSync(path).subarray(0, 5).toString()).toBe('PGDMP'); // custom format magic
    expect(readManifest(manifestPath)).toEqual(manifest);
    expect(manifest.tables).toEqual(await databaseStats(db.sql));
    expect(manifest.tables.map((t) => [t.table, t.rows])).toEqual([
      ['events', 300],
      ['items', 2000],
    ]);
  });

  it('restores into a new database whose every table equals the source', async () => {
    const { path } = await createBackup({ databaseUrl: db.url, dir, log: noLog });
    const into = newName();
    const result = await restoreBackup({ file: path, databaseUrl: db.url, into, log: noLog });
    expect(result.database).toBe(into);
    expect(result.tables).toEqual(result.expected);
    const copy = postgres(withDatabase(db.url, into), { max: 1, onnotice: noLog });
    try {
      expect(await databaseStats(copy)).toEqual(await databaseStats(db.sql));
      const [row] = await copy<{ embedding: string }[]>`select embedding::text from items where title like 'item 7 %'`;
      expect(row?.embedding).toBe('[7,0.5,-1.25,1e-07]');
    } finally {
      await copy.end();
    }
  });

  it('takes the manifest and the dump from one snapshot while writes go on', async () => {
    let stop = false;
    let n = 0;
    const writer = (async () => {
      while (!stop) {
        n++;
        await db.sql`insert into events values ('concurrent', ${db.sql.json({ n })})`;
      }
    })();
    const { path } = await createBackup({ databaseUrl: db.url, dir, log: noLog });
    stop = true;
    await writer;
    expect(n).toBeGreaterThan(0);
    // restoreBackup fails with VERIFY_MISMATCH if the dump saw other rows than the manifest's count.
    const result = await restoreBackup({ file: path, databaseUrl: db.url, into: newName(), log: noLog });
    expect(result.tables).toEqual(result.expected);
  });

  it('refuses a garbage file before creating any database', async () => {
    const garbage = join(dir, 'garbage.dump');
    writeFileSync(garbage, randomBytes(4096));
    const into = newName();
    const error = await expectBackupError(restoreBackup({ file: garbage, databaseUrl: db.url, into, log: noLog }), 'BACKUP_CORRUPT');
    expect(error.oneLine()).toMatch(/^BACKUP_CORRUPT: .* — .+/);
    expect(await databasesLike(into)).toEqual([]);
  });

  it('refuses a truncated dump (manifest checksum) and leaves no database behind', async () => {
    const { path } = await createBackup({ databaseUrl: db.url, dir, log: noLog });
    truncateSync(path, Math.floor(readFileSync(path).length / 2));
    const into = newName();
    await expectBackupError(restoreBackup({ file: path, databaseUrl: db.url, into, log: noLog }), 'BACKUP_CORRUPT');
    expect(await databasesLike(into)).toEqual([]);
  });

  it('drops the half-restored temporary database when a truncated dump has no manifest', async () => {
    const { path } = await createBackup({ databaseUrl: db.url, dir, log: noLog });
    const bare = join(dir, 'bare.dump');
    copyFileSync(path, bare);
    truncateSync(bare, Math.floor(readFileSync(bare).length * 0.8));
    const into = newName();
    const error = await restoreBackup({ file: bare, databaseUrl: db.url, into, log: noLog }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupError);
    expect(['BACKUP_CORRUPT', 'RESTORE_FAILED']).toContain((error as BackupError).code);
    expect(await databasesLike(into)).toEqual([]);
  });

  it('refuses an existing non-empty target and leaves it untouched', async () => {
    const { path } = await createBackup({ databaseUrl: db.url, dir, log: noLog });
    const before = await databaseStats(db.sql);
    await expectBackupError(restoreBackup({ file: path, databaseUrl: db.url, into: db.name, log: noLog }), 'TARGET_NOT_EMPTY');
    expect(await databaseStats(db.sql)).toEqual(before);
    expect(await databasesLike(`${db.name}__rst`)).toEqual([]);
  });

  it('replaces an existing empty target', async () => {
    const { path } = await createBackup({ databaseUrl: db.url, dir, log: noLog });
    const into = newName();
    await db.sql.unsafe(`create database "${into}"`);
    const result = await restoreBackup({ file: path, databaseUrl: db.url, into, log: noLog });
    expect(result.tables.length).toBe(2);
  });

  it('cleans up the temporary database an interrupted restore left behind', async () => {
    const { path } = await createBackup({ databaseUrl: db.url, dir, log: noLog });
    const into = newName();
    await db.sql.unsafe(`create database "${into}__rst_abc123"`); // what a killed restore leaves
    await restoreBackup({ file: path, databaseUrl: db.url, into, log: noLog });
    expect(await databasesLike(into)).toEqual([into]);
  });

  it('reports a missing file and a bad target name as such', async () => {
    await expectBackupError(restoreBackup({ file: join(dir, 'nope.dump'), databaseUrl: db.url, into: newName(), log: noLog }), 'BACKUP_NOT_FOUND');
    const { path } = await createBackup({ databaseUrl: db.url, dir, log: noLog });
    await expectBackupError(restoreBackup({ file: path, databaseUrl: db.url, into: 'x"; drop', log: noLog }), 'INVALID_TARGET_NAME');
  });

  it('reports an unreachable or missing database with a one-line fix, writing no file', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'storyforge-backup-none-'));
    try {
      const port = await freePort();
      const unreachable = await expectBackupError(
        createBackup({ databaseUrl: `postgres://postgres@127.0.0.1:${port}/x`, dir: empty, log: noLog }),
        'DATABASE_UNREACHABLE',
      );
      expect(unreachable.oneLine()).not.toContain('\n');
      await expectBackupError(createBackup({ databaseUrl: withDatabase(db.url, 'no_such_db'), dir: empty, log: noLog }), 'DATABASE_NOT_FOUND');
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
