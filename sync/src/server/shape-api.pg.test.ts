import { openShape } from './testing/open-shape';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSync, type TestSync } from './testing/start-test-sync';

let db: TestDatabase;
let sync: TestSync;

beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
  await db.sql`create table items (id int primary key, title text not null, n int)`;
  await db.sql`insert into items select g, 'item ' || g, g from generate_series(1, 5) g`;
  sync = await startTestSync({ databaseUrl: db.url, slotName: `slot_${db.name}` });
});
afterAll(async () => {
  await sync?.destroy();
  await db?.drop();
});

async function waitFor<T>(fn: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each([
  ['long-poll', false],
  ['sse', true],
])('snapshot + live (%s)', (_name, sse) => {
  it('delivers the snapshot then live inserts, updates and deletes', async () => {
    const { shape, close } = openShape({ url: sync.shapeUrl, params: { table: 'items' }, liveSse: sse });
    const rows = await shape.rows;
    expect(rows.length).toBeGreaterThanOrEqual(5);
    const id = sse ? 100 : 200;
    await db.sql`insert into items values (${id}, 'new', 1)`;
    await waitFor(() => (shape.currentRows.some((r) => r.id === id) ? true : undefined));
    await db.sql`update items set title = 'changed' where id = ${id}`;
    await waitFor(() => (shape.currentRows.find((r) => r.id === id)?.title === 'changed' ? true : undefined));
    await db.sql`delete from items where id = ${id}`;
    await waitFor(() => (shape.currentRows.some((r) => r.id === id) ? undefined : true));
    close();
  });
});
