// What the migrated schema itself guarantees, exercised through Drizzle on a real Postgres.
import { asc, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { characters } from './characters';
import { componentCache } from './component-cache';
import { creditLedger } from './credit-ledger';
import { mediaAssets } from './media-assets';
import { projects } from './projects';
import { sceneVersions } from './scene-versions';
import { scenes } from './scenes';
import { tombstones } from './tombstones';
import { users } from './users';

let db: TestDatabase;
let orm: ReturnType<typeof drizzle>;
beforeAll(async () => {
  db = await createTestDatabase();
  orm = drizzle({ client: db.sql });
});
afterAll(() => db.drop());

const uuid = (n: number) => `0190f2d8-0000-7000-8000-${String(n).padStart(12, '0')}`;

/** SQLSTATE of a failed query (postgres.js puts it on `code`, drizzle wraps it in `cause`). */
async function sqlStateOf(promise: PromiseLike<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    const found = [error, (error as { cause?: unknown }).cause].find(
      (e): e is { code: string } => typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string',
    );
    return found?.code;
  }
}

async function newProject(n: number): Promise<{ userId: string; projectId: string }> {
  const userId = uuid(n * 100);
  const projectId = uuid(n * 100 + 1);
  await orm.insert(users).values({ id: userId, email: `u${n}@example.com` });
  await orm.insert(projects).values({ id: projectId, userId, title: `P${n}` });
  return { userId, projectId };
}

describe('migrated schema', () => {
  it('has every table and HNSW vector indexes', async () => {
    const rows = await db.sql<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`;
    expect(rows.map((r) => r.table_name)).toEqual([
      'brains', 'characters', 'component_cache', 'credit_ledger', 'format_templates', 'generation_requests', 'media_assets',
      'processed_mutations', 'projects', 'scene_versions', 'scenes', 'semantic_cache_entries',
      'storyforge_migrations', 'tombstones', 'users',
    ]);
    const hnsw = await db.sql<{ indexname: string }[]>`select indexname from pg_indexes where indexdef like '%USING hnsw%' order by indexname`;
    expect(hnsw.map((r) => r.indexname)).toEqual([
      'brains_style_vector_hnsw_idx', 'characters_face_embedding_hnsw_idx', 'semantic_cache_entries_embedding_hnsw_idx',
    ]);
  });

  it('orders scenes by (position, id) in byte order, and allows equal positions (concurrent offline inserts)', async () => {
    const { projectId } = await newProject(1);
    const keys = ['a1', 'Zz', 'a0V', 'a0', 'a0'];
    await orm.insert(scenes).values(keys.map((position, i) => ({ id: uuid(1000 + (keys.length - i)), projectId, position })));
    const ordered = await orm.select({ id: scenes.id, position: scenes.position }).from(scenes).where(eq(scenes.projectId, projectId)).orderBy(asc(scenes.position), asc(scenes.id));
    // JS string order = what fractional-indexing uses on the client. A locale collation would put 'Zz' last.
    expect(ordered.map((s) => s.position)).toEqual([...keys].sort());
    expect((ordered[1]?.id ?? '') < (ordered[2]?.id ?? '')).toBe(true);
    expect(await sqlStateOf(orm.insert(scenes).values({ id: uuid(1999), projectId, position: '' }))).toBe('23514');
  });

  it('stores vectors with the declared dimensions and refuses others', async () => {
    const { projectId } = await newProject(2);
    const face = Array.from({ length: 512 }, (_, i) => Math.sin(i));
    await orm.insert(characters).values({ id: uuid(2001), projectId, name: 'Mara', faceEmbedding: face, appearance: { hair: 'red' } });
    const [row] = await orm.select().from(characters).where(eq(characters.id, uuid(2001)));
    expect(row?.faceEmbedding).toHaveLength(512);
    expect(row?.faceEmbedding?.[1]).toBeCloseTo(Math.sin(1), 5);
    expect(row?.appearance).toEqual({ hair: 'red' });
    expect(row?.fieldClocks).toEqual({});
    expect(row?.createdAt).toBeInstanceOf(Date);
    expect(await sqlStateOf(orm.insert(characters).values({ id: uuid(2002), projectId, name: 'X', faceEmbedding: face.slice(1) }))).toBe('22000');
    // Migration 0003: faces stay in the heap row (PLAIN), not in TOAST, so exact scans and snapshots read them in place.
    const [storage] = await db.sql<{ attstorage: string }[]>`select attstorage from pg_attribute where attrelid = 'characters'::regclass and attname = 'face_embedding'`;
    expect(storage?.attstorage).toBe('p');
    const [toast] = await db.sql<{ bytes: number }[]>`select pg_relation_size(reltoastrelid)::int as bytes from pg_class where relname = 'characters'`;
    expect(toast?.bytes).toBe(0);
  });

  it('cascades project deletes to scenes, characters and versions', async () => {
    const { projectId } = await newProject(3);
    await orm.insert(scenes).values({ id: uuid(3001), projectId, position: 'a0' });
    await orm.insert(sceneVersions).values({ id: uuid(3002), sceneId: uuid(3001), projectId, versionNumber: 1, costUsd: '0.2500' });
    await orm.insert(characters).values({ id: uuid(3003), projectId, name: 'C' });
    await orm.delete(projects).where(eq(projects.id, projectId));
    for (const table of ['scenes', 'scene_versions', 'characters']) {
      const [count] = await db.sql<{ n: number }[]>`select count(*)::int as n from ${db.sql(table)} where project_id = ${projectId}`;
      expect(count?.n).toBe(0);
    }
  });

  it('keeps credit_ledger append-only, except for the cascade from a deleted user', async () => {
    const { userId } = await newProject(4);
    await orm.insert(creditLedger).values({ userId, delta: 10, reason: 'grant', balanceAfter: 10 });
    expect(await sqlStateOf(orm.update(creditLedger).set({ delta: 1000 }).where(eq(creditLedger.userId, userId)))).toBe('55000');
    expect(await sqlStateOf(orm.delete(creditLedger).where(eq(creditLedger.userId, userId)))).toBe('55000');
    expect(await sqlStateOf(orm.insert(creditLedger).values({ userId, delta: 0, reason: 'grant', balanceAfter: 10 }))).toBe('23514');
    expect(await sqlStateOf(orm.insert(creditLedger).values({ userId, delta: -20, reason: 'generation', balanceAfter: -10 }))).toBe('23514');
    expect(await sqlStateOf(db.sql`insert into credit_ledger (user_id, delta, reason, balance_after) values (${userId}, 1, 'gift', 11)`)).toBe('23514');
    expect(await db.sql`select delta from credit_ledger where user_id = ${userId}`).toEqual([{ delta: 10 }]);
    await orm.delete(users).where(eq(users.id, userId));
    expect(await db.sql`select 1 from credit_ledger where user_id = ${userId}`).toHaveLength(0);
  });

  it('keeps users.credits_balance and subscription_tier within bounds', async () => {
    expect(await sqlStateOf(orm.insert(users).values({ id: uuid(5000), email: 'neg@example.com', creditsBalance: -1 }))).toBe('23514');
    expect(await sqlStateOf(db.sql`insert into users (id, email, subscription_tier) values (${uuid(5001)}, 'tier@example.com', 'platinum')`)).toBe('23514');
    await orm.insert(users).values({ id: uuid(5002), email: 'dup@example.com' });
    expect(await sqlStateOf(orm.insert(users).values({ id: uuid(5003), email: 'dup@example.com' }))).toBe('23505');
  });

  it('content-addresses media and keys components uniquely even with a null tenant', async () => {
    const sha = 'ab'.repeat(32);
    await orm.insert(mediaAssets).values({ id: uuid(6001), sha256: sha, byteSize: 10, contentType: 'video/mp4', storageKey: `media/${sha}` });
    expect(await sqlStateOf(orm.insert(mediaAssets).values({ id: uuid(6002), sha256: sha, byteSize: 10, contentType: 'video/mp4', storageKey: 'x' }))).toBe('23505');
    expect(await sqlStateOf(orm.insert(mediaAssets).values({ id: uuid(6003), sha256: 'AB'.repeat(32), byteSize: 1, contentType: 'video/mp4', storageKey: 'y' }))).toBe('23514');
    const component = { kind: 'prop' as const, descriptorKey: 'k1', descriptor: { name: 'lamp' }, mediaAssetId: uuid(6001) };
    await orm.insert(componentCache).values({ id: uuid(6010), tenantId: null, ...component });
    expect(await sqlStateOf(orm.insert(componentCache).values({ id: uuid(6011), tenantId: null, ...component }))).toBe('23505');
    await orm.insert(componentCache).values({ id: uuid(6012), tenantId: uuid(6999), ...component });
    // A referenced asset cannot disappear from under a component.
    expect(await sqlStateOf(orm.delete(mediaAssets).where(eq(mediaAssets.id, uuid(6001))))).toBe('23503');
  });

  it('records one tombstone per (table, row)', async () => {
    await orm.insert(tombstones).values({ tableName: 'scenes', rowId: uuid(7001), hlc: '000001732550000000-000000-a' });
    expect(await sqlStateOf(orm.insert(tombstones).values({ tableName: 'scenes', rowId: uuid(7001), hlc: 'later' }))).toBe('23505');
    await orm.insert(tombstones).values({ tableName: 'characters', rowId: uuid(7001), hlc: 'x' });
  });
});
