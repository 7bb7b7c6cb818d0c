// Every migration is reversible: for each one (newest first) down → up gives back the identical schema,
// the schema after down equals a fresh database migrated only that far, and rows in tables the
// migration does not touch survive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { loadMigrations } from './load-migrations';
import { migrateDown } from './migrate-down';
import { migrateUp } from './migrate-up';
import { migrationStatus } from './migration-status';
import { dumpSchema } from './schema-dump';

const log = () => {};
const files = loadMigrations();
const userId = '0190f2d8-0000-7000-8000-000000000001';
const projectId = '0190f2d8-0000-7000-8000-000000000002';
const sceneId = '0190f2d8-0000-7000-8000-000000000003';
const versionId = '0190f2d8-0000-7000-8000-000000000004';

let db: TestDatabase;
let reference: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
  reference = await createTestDatabase({ migrated: false });
});
afterAll(async () => {
  await db.drop();
  await reference.drop();
});

async function seedRows(sql: TestDatabase['sql']): Promise<void> {
  await sql`insert into users (id, email, display_name, credits_balance) values (${userId}, 'ada@example.com', 'Ada', 5)`;
  await sql`insert into credit_ledger (user_id, delta, reason, balance_after) values (${userId}, 5, 'grant', 5)`;
  await sql`insert into projects (id, user_id, title, settings) values (${projectId}, ${userId}, 'Pilot', ${sql.json({ fps: 24 })})`;
  await sql`insert into scenes (id, project_id, position, title) values (${sceneId}, ${projectId}, 'a0', 'Opening')`;
  await sql`insert into scene_versions (id, scene_id, project_id, version_number, cost_usd) values (${versionId}, ${sceneId}, ${projectId}, 1, 0.25)`;
}

async function snapshotRows(sql: TestDatabase['sql']) {
  return {
    users: await sql`select id, email, display_name, credits_balance, created_at from users order by id`,
    ledger: await sql`select id, user_id, delta, reason, balance_after from credit_ledger order by id`,
    projects: await sql`select id, user_id, title, settings from projects order by id`,
    scenes: await sql`select id, project_id, position, title from scenes order by id`,
    // media_asset_id is 0001's column; everything else of scene_versions must survive its down/up.
    versions: await sql`select id, scene_id, version_number, cost_usd from scene_versions order by id`,
  };
}

describe('migration round trip', () => {
  it('applies every migration to an empty database', async () => {
    const result = await migrateUp({ databaseUrl: db.url, log });
    expect(result.applied).toEqual(files.map((f) => f.name));
    expect(files.length).toBeGreaterThanOrEqual(2);
    const status = await migrationStatus({ databaseUrl: db.url });
    expect(status.map((s) => s.state)).toEqual(files.map(() => 'applied'));
    expect((await migrateUp({ databaseUrl: db.url, log })).applied).toEqual([]);
  });

  it('down then up of each migration restores the identical schema and keeps unaffected data', async () => {
    const full = await dumpSchema({ databaseUrl: db.url });
    expect(full).toContain('CREATE TABLE public.semantic_cache_entries');
    await seedRows(db.sql);
    const before = await snapshotRows(db.sql);

    for (const file of [...files].reverse()) {
      const down = await migrateDown({ databaseUrl: db.url, log, to: file.id - 1 });
      expect(down.rolledBack).toEqual(files.filter((f) => f.id >= file.id).map((f) => f.name).reverse());

      // After down, the schema equals a fresh database migrated only up to the previous migration.
      await migrateUp({ databaseUrl: reference.url, log, to: file.id - 1 });
      expect(await dumpSchema({ databaseUrl: db.url })).toBe(await dumpSchema({ databaseUrl: reference.url }));
      await migrateDown({ databaseUrl: reference.url, log, to: -1 });

      const up = await migrateUp({ databaseUrl: db.url, log });
      expect(up.applied).toEqual(files.filter((f) => f.id >= file.id).map((f) => f.name));
      expect(await dumpSchema({ databaseUrl: db.url })).toBe(full);

      if (file.id > 0) {
        // Tables created before this migration keep their rows.
        expect(await snapshotRows(db.sql)).toEqual(before);
      } else {
        // Rolling back 0000 drops every table: nothing to keep, and the DB is usable again.
        expect(await db.sql`select count(*)::int as n from users`).toEqual([{ n: 0 }]);
        await seedRows(db.sql);
      }
    }
  });

  it('rolls back exactly one migration by default and everything with to = -1', async () => {
    const last = files.at(-1);
    const down = await migrateDown({ databaseUrl: db.url, log });
    expect(down.rolledBack).toEqual([last?.name]);
    const all = await migrateDown({ databaseUrl: db.url, log, to: -1 });
    expect(all.rolledBack).toEqual(files.slice(0, -1).map((f) => f.name).reverse());
    const tables = await db.sql`select table_name from information_schema.tables where table_schema = 'public' and table_name <> 'storyforge_migrations'`;
    expect(tables).toEqual([]);
    expect(await migrateUp({ databaseUrl: db.url, log })).toEqual({ applied: files.map((f) => f.name) });
  });
});
