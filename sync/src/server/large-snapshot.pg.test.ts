// A 100k-row snapshot served in pages to the real client, with changes committed during the snapshot.
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openShape } from './testing/open-shape';
import { startTestSync, type TestSync } from './testing/start-test-sync';
import { waitFor } from './testing/wait-for';

let db: TestDatabase;
let sync: TestSync;
const ROWS = 100_000;

beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
  await db.sql`create table big (id int primary key, label text not null, score float8)`;
  await db.sql`insert into big select g, 'row ' || g, g / 7.0 from generate_series(1, ${ROWS}::int) g`;
  sync = await startTestSync({ databaseUrl: db.url, slotName: `slot_${db.name}` });
});
afterAll(async () => {
  await sync?.destroy();
  await db?.drop();
});

it('pages a 100k-row snapshot and stays consistent with writes made while it runs', { timeout: 120_000 }, async () => {
  const first = await fetch(`${sync.shapeUrl}?table=big&offset=-1`);
  expect(first.headers.get('electric-offset')).toBe('0_0'); // more pages follow
  expect(((await first.json()) as unknown[]).length).toBe(10_000);

  const { shape, close } = openShape({ url: sync.shapeUrl, params: { table: 'big', columns: ['id', 'label', 'score'] } });
  // Race writes against the snapshot of the client's (new) shape: each must appear once, never lost.
  const writes = (async () => {
    for (let i = 1; i <= 20; i++) {
      await db.sql`update big set label = ${`edited ${i}`} where id = ${i * 1000}`;
      await db.sql`insert into big values (${ROWS + i}, 'late', 0)`;
    }
  })();
  await writes;
  await waitFor(() => (shape.currentRows.length === ROWS + 20 ? true : undefined), 60_000);
  const byId = new Map(shape.currentRows.map((r) => [Number(r.id), r]));
  for (let i = 1; i <= 20; i++) expect(byId.get(i * 1000)?.label).toBe(`edited ${i}`);
  expect(byId.get(7)?.score).toBe(1);
  close();
});
