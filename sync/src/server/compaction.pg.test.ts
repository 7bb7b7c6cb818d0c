// A long-lived shape's log is compacted past maxLogEntries: live clients carry on with their handle,
// new clients get the compacted log under a new handle, and clients behind the compaction point get 409.
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openShape } from './testing/open-shape';
import { startTestSync, type TestSync } from './testing/start-test-sync';
import { waitFor } from './testing/wait-for';

let db: TestDatabase;
let sync: TestSync;

beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
  await db.sql`create table counters (id int primary key, n int not null, label text not null)`;
  await db.sql`insert into counters values (1, 0, 'one'), (2, 0, 'two')`;
  sync = await startTestSync({ databaseUrl: db.url, slotName: `slot_${db.name}`, maxLogEntries: 20 });
});
afterAll(async () => {
  await sync?.destroy();
  await db?.drop();
});

it('compacts a hot log without breaking live, new or lagging clients', async () => {
  const first = await fetch(`${sync.shapeUrl}?table=counters&offset=-1`);
  const h1 = first.headers.get('electric-handle') ?? '';
  const live = openShape({ url: sync.shapeUrl, params: { table: 'counters' } });
  await live.shape.rows;
  await db.sql`update counters set n = 1 where id = 1`;
  const early = await waitFor(async () => {
    const res = await fetch(`${sync.shapeUrl}?table=counters&offset=0_inf&handle=${h1}`);
    const body = (await res.json()) as unknown[];
    return body.length > 1 ? (res.headers.get('electric-offset') ?? undefined) : undefined;
  });
  await db.sql`insert into counters values (3, 0, 'three')`;
  for (let i = 2; i <= 30; i++) await db.sql`update counters set n = ${i} where id = 1`;
  await db.sql`delete from counters where id = 2`;
  await db.sql`update counters set label = 'THREE' where id = 3`;

  const expected = [{ id: 1, n: 30, label: 'one' }, { id: 3, n: 0, label: 'THREE' }];
  const sorted = (rows: Array<Record<string, unknown>>) => [...rows].sort((a, b) => Number(a.id) - Number(b.id));
  await waitFor(() => (JSON.stringify(sorted(live.shape.currentRows)) === JSON.stringify(expected) ? true : undefined));
  expect(live.stream.shapeHandle).toBe(h1); // the live client was never interrupted

  const fresh = openShape({ url: sync.shapeUrl, params: { table: 'counters' } });
  expect(sorted(await fresh.shape.rows)).toEqual(expected);
  expect(fresh.stream.shapeHandle).not.toBe(h1);
  const catchUp = await fetch(`${sync.shapeUrl}?table=counters&offset=0_inf&handle=${fresh.stream.shapeHandle}`);
  // 33 changes were logged; the log stays within maxLogEntries (+ the up-to-date message).
  expect(((await catchUp.json()) as unknown[]).length).toBeLessThanOrEqual(21);

  const lagging = await fetch(`${sync.shapeUrl}?table=counters&offset=${early}&handle=${h1}`);
  expect(lagging.status).toBe(409);
  expect(lagging.headers.get('electric-handle')).toBe(fresh.stream.shapeHandle);
  live.close();
  fresh.close();
});
