// Migrations against a database that is in use: acknowledged writes survive down/up cycles, and a
// migration that cannot get its table lock in time gives up cleanly instead of stalling the app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { migrateDown } from './migrate-down';
import { migrateUp } from './migrate-up';
import { MigrationError } from './migration-error';

const log = () => {};
const uuid = (n: number) => `0190f2d8-0000-7000-8000-${String(n).padStart(12, '0')}`;
const userId = uuid(1);
const projectId = uuid(2);
const sceneId = uuid(3);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql`insert into users (id, email) values (${userId}, 'w@example.com')`;
  await db.sql`insert into projects (id, user_id, title) values (${projectId}, ${userId}, 'P')`;
  await db.sql`insert into scenes (id, project_id, position) values (${sceneId}, ${projectId}, 'a0')`;
});
afterAll(() => db.drop());

describe('migrating a live database', () => {
  it('loses no acknowledged write while 0001 is rolled back and re-applied repeatedly', async () => {
    const acknowledged: number[] = [];
    const failures: unknown[] = [];
    let running = true;
    const writer = (async () => {
      for (let n = 1000; running; n++) {
        try {
          // scenes is untouched by 0001; scene_versions loses and regains a column under it.
          await db.sql.begin(async (tx) => {
            await tx`insert into scenes (id, project_id, position) values (${uuid(n)}, ${projectId}, ${`a${n}`})`;
            await tx`insert into scene_versions (id, scene_id, project_id, version_number) values (${uuid(n + 500_000)}, ${sceneId}, ${projectId}, ${n})`;
          });
          acknowledged.push(n);
        } catch (error) {
          failures.push(error);
        }
      }
    })();
    for (let cycle = 0; cycle < 5; cycle++) {
      await migrateDown({ databaseUrl: db.url, log, to: 0 });
      await migrateUp({ databaseUrl: db.url, log });
    }
    running = false;
    await writer;

    expect(failures).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(5);
    const scenes = await db.sql<{ n: number }[]>`select count(*)::int as n from scenes where id = any(${acknowledged.map(uuid)}::uuid[])`;
    const versions = await db.sql<{ n: number }[]>`select count(*)::int as n from scene_versions where id = any(${acknowledged.map((n) => uuid(n + 500_000))}::uuid[])`;
    expect(scenes[0]?.n).toBe(acknowledged.length);
    expect(versions[0]?.n).toBe(acknowledged.length);
  });

  it('gives up on a table lock after lockTimeoutMs, applies nothing, and succeeds once the lock is gone', async () => {
    // Roll back everything after 0001 first, so the lock-blocked step is 0001 (it alters scene_versions).
    await migrateDown({ databaseUrl: db.url, log, to: 1 });
    const reader = await db.sql.reserve();
    try {
      await reader`begin`;
      await reader`select count(*) from scene_versions`; // holds ACCESS SHARE until commit
      const error = await migrateDown({ databaseUrl: db.url, log, to: 0, lockTimeoutMs: 200 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).code).toBe('MIGRATION_LOCK_TIMEOUT');
      expect((error as MigrationError).details).toMatchObject({ name: '0001_cache_and_media', sqlState: '55P03' });
      await reader`commit`;
    } finally {
      reader.release();
    }
    const still = await db.sql`select 1 from storyforge_migrations where id = 1`;
    expect(still).toHaveLength(1);
    expect(await db.sql`select to_regclass('media_assets') is not null as present`).toEqual([{ present: true }]);
    expect((await migrateDown({ databaseUrl: db.url, log, to: 0, lockTimeoutMs: 200 })).rolledBack).toEqual(['0001_cache_and_media']);
    await migrateUp({ databaseUrl: db.url, log });
  });
});
