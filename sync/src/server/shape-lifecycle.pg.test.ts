// Shape lifecycle with the real client: where + params with move-in/out, overlapping shapes, resume from a
// persisted handle/offset across a server restart, must-refetch after a reset, truncate, write confirmation.
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectMessages } from './testing/collect-messages';
import { openShape } from './testing/open-shape';
import { startTestSync, type TestSync } from './testing/start-test-sync';
import { waitFor } from './testing/wait-for';

let db: TestDatabase;
let sync: TestSync;
const slot = () => `slot_${db.name}`;

beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
  await db.sql`create table scenes (id int primary key, project text not null, title text not null, n int not null)`;
  await db.sql`insert into scenes select g, case when g % 2 = 0 then 'a' else 'b' end, 't' || g, g from generate_series(1, 20) g`;
  sync = await startTestSync({ databaseUrl: db.url, slotName: slot() });
});
afterAll(async () => {
  await sync?.destroy();
  await db?.drop();
});

const ids = (rows: Array<Record<string, unknown>>) => rows.map((r) => Number(r.id)).sort((a, b) => a - b);

describe('shape lifecycle', () => {
  it('filters with where + params and moves rows in and out on update', async () => {
    const { shape, close } = openShape({ url: sync.shapeUrl, params: { table: 'scenes', where: 'project = $1 and n > $2', params: ['a', '10'] } });
    expect(ids(await shape.rows)).toEqual([12, 14, 16, 18, 20]);
    await db.sql`update scenes set project = 'a' where id = 13`; // moves in
    await db.sql`update scenes set n = 5 where id = 12`; // moves out
    await db.sql`update scenes set title = 'x' where id = 1`; // never in
    await waitFor(() => (ids(shape.currentRows).join() === '13,14,16,18,20' ? true : undefined));
    close();
  });

  it('keeps two overlapping shapes independent and complete', async () => {
    const a = openShape({ url: sync.shapeUrl, params: { table: 'scenes', where: 'n <= 15' } });
    const b = openShape({ url: sync.shapeUrl, params: { table: 'scenes', where: 'n >= 10' } });
    await Promise.all([a.shape.rows, b.shape.rows]);
    await db.sql`insert into scenes values (100, 'a', 'both', 12)`;
    await db.sql`update scenes set n = 16 where id = 100`; // leaves a, stays in b
    await waitFor(() => (b.shape.currentRows.find((r) => r.id === 100)?.n === 16 && !a.shape.currentRows.some((r) => r.id === 100) ? true : undefined));
    const [expA, expB] = await Promise.all([
      db.sql`select id from scenes where n <= 15`,
      db.sql`select id from scenes where n >= 10`,
    ]);
    await waitFor(() => (ids(a.shape.currentRows).join() === ids(expA).join() && ids(b.shape.currentRows).join() === ids(expB).join() ? true : undefined));
    a.close();
    b.close();
  });

  it('confirms writes: the writing transaction\'s xid arrives in txids', async () => {
    const c = collectMessages({ url: sync.shapeUrl, params: { table: 'scenes', where: 'id = 500' } });
    await waitFor(() => (c.upToDateCount() > 0 ? true : undefined));
    const txid = await db.sql.begin(async (tx) => {
      await tx`insert into scenes values (500, 'a', 'mine', 1)`;
      const [row] = await tx<{ txid: string }[]>`select pg_current_xact_id()::xid::text as txid`;
      return Number(row?.txid);
    });
    const msg = await waitFor(() => c.changes.find((m) => m.value.id === 500));
    expect(msg.headers.txids).toEqual([txid]);
    expect(msg.headers.operation).toBe('insert');
    c.close();
  });

  it('resumes from a persisted handle and offset across a server restart, exactly once', async () => {
    await db.sql`create table notes (id int primary key, body text)`;
    await db.sql`insert into notes values (1, 'before')`;
    const first = collectMessages({ url: sync.shapeUrl, params: { table: 'notes' } });
    await waitFor(() => (first.upToDateCount() > 0 ? true : undefined));
    await db.sql`insert into notes values (2, 'live')`;
    await waitFor(() => (first.changes.some((m) => m.value.id === 2) ? true : undefined));
    const handle = first.stream.shapeHandle;
    const offset = first.stream.lastOffset;
    first.close();
    await sync.stop();
    await db.sql`insert into notes values (3, 'while down')`;
    await db.sql`update notes set body = 'edited while down' where id = 1`;
    sync = await startTestSync({ databaseUrl: db.url, slotName: slot(), dataDir: sync.dataDir });
    await db.sql`insert into notes values (4, 'after restart')`;
    const second = collectMessages({ url: sync.shapeUrl, params: { table: 'notes' }, ...(handle ? { handle } : {}), offset });
    await waitFor(() => (second.changes.some((m) => m.value.id === 4) ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(second.stream.shapeHandle).toBe(handle);
    expect(second.changes.map((m) => [m.headers.operation, m.value.id])).toEqual([
      ['insert', 3],
      ['update', 1],
      ['insert', 4],
    ]);
    second.close();
  });

  it('answers 409 with a new handle after DELETE /v1/shape and the client refetches', async () => {
    const { shape, stream, close } = openShape({ url: sync.shapeUrl, params: { table: 'scenes', where: 'project = $1', params: ['b'] } });
    await shape.rows;
    const oldHandle = stream.shapeHandle;
    const offset = stream.lastOffset;
    expect((await fetch(`${sync.shapeUrl}?table=scenes`, { method: 'DELETE' })).status).toBe(202);
    const res = await fetch(`${sync.shapeUrl}?table=scenes&where=project+%3D+%241&params%5B1%5D=b&handle=${oldHandle}&offset=${offset}`);
    expect(res.status).toBe(409);
    const newHandle = res.headers.get('electric-handle');
    expect(newHandle).not.toBe(oldHandle);
    expect(await res.json()).toEqual([{ headers: { control: 'must-refetch' } }]);
    await db.sql`insert into scenes values (600, 'b', 'after reset', 1)`;
    const expected = ids(await db.sql`select id from scenes where project = 'b'`);
    await waitFor(() => (ids(shape.currentRows).join() === expected.join() ? true : undefined));
    expect(stream.shapeHandle).not.toBe(oldHandle);
    close();
  });

  it('resets shapes of a truncated table (409) and the client converges on the empty table', async () => {
    await db.sql`create table scratch (id int primary key)`;
    await db.sql`insert into scratch select generate_series(1, 10)`;
    const { shape, close } = openShape({ url: sync.shapeUrl, params: { table: 'scratch' } });
    expect((await shape.rows).length).toBe(10);
    await db.sql`truncate scratch`;
    await db.sql`insert into scratch values (42)`;
    await waitFor(() => (ids(shape.currentRows).join() === '42' ? true : undefined));
    close();
  });

  it('holds a long-poll, then answers 200 up-to-date with a cursor; 304 on a matching etag', async () => {
    const first = await fetch(`${sync.shapeUrl}?table=scenes&offset=-1`);
    const handle = first.headers.get('electric-handle') ?? '';
    const etag = first.headers.get('etag') ?? '';
    expect(first.headers.get('cache-control')).toContain('max-age=604800');
    const again = await fetch(`${sync.shapeUrl}?table=scenes&offset=-1`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const catchUp = await fetch(`${sync.shapeUrl}?table=scenes&offset=0_inf&handle=${handle}`);
    const offset = catchUp.headers.get('electric-offset') ?? '';
    expect(catchUp.headers.has('electric-up-to-date')).toBe(true);
    const started = Date.now();
    const live = await fetch(`${sync.shapeUrl}?table=scenes&offset=${offset}&handle=${handle}&live=true`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500); // liveTimeoutMs is 2 s in tests
    expect(live.status).toBe(200);
    expect(live.headers.get('electric-cursor')).toMatch(/^\d+$/);
    expect(live.headers.get('electric-offset')).toBe(offset);
    const body = (await live.json()) as Array<{ headers: { control?: string } }>;
    expect(body.map((m) => m.headers.control)).toEqual(['up-to-date']);
  });
});
