// Generic mode: any table with a primary key, any schema, quoted names, every common type, tables created
// after start — checked with the stock @electric-sql/client.
import { openShape } from './testing/open-shape';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSync, type TestSync } from './testing/start-test-sync';
import { waitFor } from './testing/wait-for';

let db: TestDatabase;
let sync: TestSync;

beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
  await db.sql.unsafe(`
    create extension if not exists vector;
    create type mood as enum ('calm', 'tense');
    create domain short_text as varchar(10);
    create table typed (
      id uuid primary key,
      i2 int2 not null, i4 int4, i8 int8, f4 float4, f8 float8, num numeric(10,3), b bool,
      t text, vc varchar(20), ch char(3), st short_text,
      j json, jb jsonb, ts timestamptz, d date, by bytea, m mood,
      ia int4[], ta text[], md int4[][], emb vector(3), big text
    );
    create schema "Other Schema";
    create table "Other Schema"."my items" (id int primary key, "Title Case" text not null);
    insert into "Other Schema"."my items" values (1, 'one');
  `);
  sync = await startTestSync({ databaseUrl: db.url, slotName: `slot_${db.name}` });
});
afterAll(async () => {
  await sync?.destroy();
  await db?.drop();
});

const insertTyped = (id: string, big: string) => db.sql.unsafe(`
  insert into typed values ('${id}', 2, 4, 9007199254740993, 1.5, 0.1, 12.345, true,
    'he said "hi"/\\n', 'varchar', 'ab', 'dom',
    '{"a": [1, 2]}', '{"b": {"c": null}}', '2024-01-02 03:04:05.678+02', '2024-02-29', '\\xdeadbeef', 'tense',
    '{1,2,NULL}', '{"x,y","z"}', '{{1,2},{3,4}}', '[1,2.5,-3]', '${big}')`);

describe('generic mode', () => {
  it('parses every common type identically from the snapshot and the stream', async () => {
    const big = 'x'.repeat(10_000); // TOASTed: an update that leaves it unchanged must not send null
    await insertTyped('00000000-0000-7000-8000-000000000001', big);
    const { shape, close } = openShape({ url: sync.shapeUrl, params: { table: 'typed' } });
    const [snap] = await shape.rows;
    expect(snap).toMatchObject({
      id: '00000000-0000-7000-8000-000000000001',
      i2: 2, i4: 4, i8: 9007199254740993n, f4: 1.5, f8: 0.1, num: '12.345', b: true,
      t: 'he said "hi"/\\n', vc: 'varchar', ch: 'ab ', st: 'dom',
      j: { a: [1, 2] }, jb: { b: { c: null } }, ts: '2024-01-02 01:04:05.678+00', d: '2024-02-29',
      by: '\\xdeadbeef', m: 'tense', ia: [1, 2, null], ta: ['x,y', 'z'], md: [[1, 2], [3, 4]], emb: '[1,2.5,-3]',
    });
    await insertTyped('00000000-0000-7000-8000-000000000002', big);
    const live = await waitFor(() => shape.currentRows.find((r) => r.id === '00000000-0000-7000-8000-000000000002'));
    expect({ ...live, id: null }).toEqual({ ...snap, id: null });
    await db.sql`update typed set i4 = 5 where id = '00000000-0000-7000-8000-000000000002'`;
    const updated = await waitFor(() => shape.currentRows.find((r) => r.id === '00000000-0000-7000-8000-000000000002' && r.i4 === 5));
    expect(updated.big).toBe(big);
    close();
  });

  it('reports the schema header the client needs (arrays with dims, vector type_mod, pk_index, not_null)', async () => {
    const res = await fetch(`${sync.shapeUrl}?table=typed&offset=-1`);
    expect(res.status).toBe(200);
    const schema = JSON.parse(res.headers.get('electric-schema') ?? '{}') as Record<string, Record<string, unknown>>;
    expect(schema.id).toEqual({ type: 'uuid', pk_index: 0, not_null: true });
    expect(schema.i2).toEqual({ type: 'int2', not_null: true });
    expect(schema.ia).toEqual({ type: 'int4', dims: 1 });
    expect(schema.emb).toEqual({ type: 'vector', type_mod: 3 });
    expect(schema.vc).toEqual({ type: 'varchar', max_length: 20 });
    expect(schema.m?.type).toBe('mood');
  });

  it('serves quoted schema and table names with spaces', async () => {
    const { shape, close } = openShape({ url: sync.shapeUrl, params: { table: '"Other Schema"."my items"' } });
    expect(await shape.rows).toEqual([{ id: 1, 'Title Case': 'one' }]);
    await db.sql.unsafe(`insert into "Other Schema"."my items" values (2, 'two')`);
    await waitFor(() => (shape.currentRows.length === 2 ? true : undefined));
    close();
  });

  it('serves a table created after the server started, with a column subset', async () => {
    await db.sql`create table later (id int primary key, secret text, visible text)`;
    await db.sql`insert into later values (1, 's', 'v')`;
    const { shape, close } = openShape({ url: sync.shapeUrl, params: { table: 'later', columns: ['id', 'visible'] } });
    expect(await shape.rows).toEqual([{ id: 1, visible: 'v' }]);
    await db.sql`insert into later values (2, 's2', 'v2')`;
    await db.sql`update later set secret = 'only secret changed' where id = 1`;
    await db.sql`update later set visible = 'v1' where id = 1`;
    await waitFor(() => (shape.currentRows.find((r) => r.id === 1)?.visible === 'v1' ? true : undefined));
    expect(shape.currentRows.sort((a, b) => Number(a.id) - Number(b.id))).toEqual([{ id: 1, visible: 'v1' }, { id: 2, visible: 'v2' }]);
    close();
  });

  it('serves a partitioned table (changes published under the parent)', async () => {
    await db.sql.unsafe(`
      create table events (id int, region text, primary key (id, region)) partition by list (region);
      create table events_eu partition of events for values in ('eu');
      create table events_us partition of events for values in ('us');
      insert into events values (1, 'eu');`);
    const { shape, close } = openShape({ url: sync.shapeUrl, params: { table: 'events' } });
    expect(await shape.rows).toEqual([{ id: 1, region: 'eu' }]);
    await db.sql`insert into events values (2, 'us'), (3, 'eu')`;
    await waitFor(() => (shape.currentRows.length === 3 ? true : undefined));
    close();
  });

  it('rejects bad requests with 400 and Electric\'s error body', async () => {
    const cases: Array<[string, string]> = [
      ['table=nope&offset=-1', 'table'],
      ['offset=-1', 'table'],
      ['table=typed', 'offset'],
      ['table=typed&offset=banana', 'offset'],
      ['table=typed&offset=0_0', 'handle'],
      ['table=typed&offset=-1&columns=%22i2%22', 'columns'],
      ['table=typed&offset=-1&columns=%22nope%22,%22id%22', 'columns'],
      ['table=typed&offset=-1&replica=half', 'replica'],
    ];
    for (const [query, param] of cases) {
      const res = await fetch(`${sync.shapeUrl}?${query}`);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { message: string; errors: Record<string, string[]> };
      expect(body.message).toBe('Invalid request');
      expect(Object.keys(body.errors), query).toEqual([param]);
    }
    await db.sql`create table nopk (a int)`;
    expect((await fetch(`${sync.shapeUrl}?table=nopk&offset=-1`)).status).toBe(400);
  });

  it('answers health and CORS preflight', async () => {
    expect(await (await fetch(`${sync.baseUrl}/v1/health`)).json()).toEqual({ status: 'active' });
    const res = await fetch(`${sync.shapeUrl}?table=typed&offset=-1`, { headers: { origin: 'http://example.test' } });
    expect(res.headers.get('access-control-expose-headers')).toContain('electric-handle');
    expect(res.headers.get('access-control-expose-headers')).toContain('electric-up-to-date');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const handle = res.headers.get('electric-handle') ?? '';
    const offset = res.headers.get('electric-offset') ?? '';
    const pending = fetch(`${sync.shapeUrl}?table=typed&offset=${offset}&handle=${handle}&live=true`, { headers: { origin: 'http://example.test' } });
    await db.sql`update typed set i4 = coalesce(i4, 0) + 1`;
    const live = await pending;
    expect(live.status).toBe(200);
    expect(live.headers.get('access-control-allow-origin')).toBe('*');
    expect(live.headers.get('access-control-expose-headers')).toContain('electric-cursor');
    const bad = await fetch(`${sync.shapeUrl}?table=typed`, { headers: { origin: 'http://example.test' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('access-control-allow-origin')).toBe('*');
    const gone = await fetch(`${sync.shapeUrl}?table=typed&offset=0_0&handle=nope`, { headers: { origin: 'http://example.test' } });
    expect(gone.status).toBe(409);
    expect(gone.headers.get('access-control-expose-headers')).toContain('electric-handle');
    const preflight = await fetch(sync.shapeUrl, {
      method: 'OPTIONS',
      headers: { origin: 'http://example.test', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
  });
});
