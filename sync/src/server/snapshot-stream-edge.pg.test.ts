// The snapshot/stream boundary when the replication stream is behind a new shape's snapshot: a row
// committed before the snapshot is in the snapshot AND still on its way through the stream. It must reach
// the client once — also when the server restarts before the stream delivers it. The lag is made
// deterministic by taking the slot away from the server (a second replication client holds it).
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { LogicalReplicationService, PgoutputPlugin } from 'pg-logical-replication';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseLsn } from './replication/lsn';
import { startTestSync, type TestSync } from './testing/start-test-sync';
import { waitFor } from './testing/wait-for';

let db: TestDatabase;
let sync: TestSync | undefined;
let slotName: string;

beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
  slotName = `slot_${db.name}`;
  await db.sql`create table items (id int primary key, label text not null)`;
  await db.sql`insert into items select g, 'seed ' || g from generate_series(1, 10) g`;
});
afterAll(async () => {
  await sync?.destroy();
  await db?.drop();
});

interface Message { key?: string; headers: { operation?: string } }

/** Every message of a shape from `offset` until up-to-date (non-live requests). */
async function readUntilUpToDate(shapeUrl: string, query: string, handle: string | null, offset: string) {
  const messages: Message[] = [];
  for (;;) {
    const res = await fetch(`${shapeUrl}?${query}&offset=${offset}${handle === null ? '' : `&handle=${handle}`}`);
    expect(res.status).toBe(200);
    messages.push(...((await res.json()) as Message[]));
    handle = res.headers.get('electric-handle');
    offset = res.headers.get('electric-offset') ?? '';
    if (res.headers.has('electric-up-to-date')) return { messages, handle: handle ?? '', offset };
  }
}

/** Takes the replication slot away from the server (which then retries); resolves to a release function. */
async function holdSlot(): Promise<() => Promise<void>> {
  const url = new URL(db.url);
  url.searchParams.set('application_name', 'slot_holder');
  for (let attempt = 0; attempt < 20; attempt++) {
    const [slot] = await db.sql<{ pid: number | null }[]>`select active_pid as pid from pg_replication_slots where slot_name = ${slotName}`;
    if (slot?.pid != null) await db.sql`select pg_terminate_backend(${slot.pid}, 5000)`;
    const holder = new LogicalReplicationService({ connectionString: url.toString() }, { acknowledge: { auto: false, timeoutSeconds: 0 } });
    holder.on('error', () => {});
    void holder.subscribe(new PgoutputPlugin({ protoVersion: 1, publicationNames: ['storyforge_sync'] }), slotName).catch(() => {});
    const mine = await waitFor(async () => {
      const [row] = await db.sql<{ app: string | null }[]>`
        select a.application_name as app from pg_replication_slots s left join pg_stat_activity a on a.pid = s.active_pid
        where s.slot_name = ${slotName} and s.active_pid is not null`;
      return row === undefined ? undefined : row.app === 'slot_holder';
    }, 3_000).catch(() => false);
    if (mine) return async () => void (await holder.stop());
    await holder.stop().catch(() => {}); // the server reconnected first: try again
  }
  throw new Error('could not take the replication slot');
}

/** Inserts one row; returns a WAL position just before it (processedLsn ≥ it ⇔ the engine has the row). */
async function insertItem(id: number): Promise<number> {
  const [row] = await db.sql<{ lsn: string }[]>`select pg_current_wal_insert_lsn()::text as lsn`;
  await db.sql`insert into items values (${id}, 'committed before the snapshot')`;
  return Number(parseLsn(row?.lsn ?? '0/0'));
}

const insertsOf = (messages: Message[], id: number) =>
  messages.filter((m) => m.headers.operation === 'insert' && m.key === `"public"."items"/"${id}"`).length;

it('sends a row once when the stream is behind the snapshot that already has it', { timeout: 60_000 }, async () => {
  sync = await startTestSync({ databaseUrl: db.url, slotName });
  // Another shape of items publishes the table, so the row does travel through the stream.
  await readUntilUpToDate(sync.shapeUrl, 'table=items&where=id%20%3C%200', null, '-1');
  const release = await holdSlot();
  const rowLsn = await insertItem(11);
  const snapshot = await readUntilUpToDate(sync.shapeUrl, 'table=items', null, '-1');
  const engine = sync.service.engine();
  expect(engine.processedLsn).toBeLessThan(rowLsn); // the shape was served before the stream had the row
  expect(insertsOf(snapshot.messages, 11)).toBe(1);
  await release();
  await waitFor(() => (engine.processedLsn >= rowLsn ? true : undefined), 30_000);
  const log = await readUntilUpToDate(sync.shapeUrl, 'table=items', snapshot.handle, snapshot.offset);
  expect(insertsOf(log.messages, 11)).toBe(0);
  // Changes after the snapshot still flow.
  await db.sql`insert into items values (12, 'after the snapshot')`;
  const after = await waitFor(async () => {
    const read = await readUntilUpToDate(sync!.shapeUrl, 'table=items', snapshot.handle, snapshot.offset);
    return insertsOf(read.messages, 12) > 0 ? read : undefined;
  }, 30_000);
  expect(insertsOf(after.messages, 12)).toBe(1);
  expect(insertsOf(after.messages, 11)).toBe(0);
});

it('still sends it once when the server restarts before the stream delivered it', { timeout: 60_000 }, async () => {
  const before = sync!;
  const release = await holdSlot();
  const rowLsn = await insertItem(13);
  const query = `table=items&where=${encodeURIComponent('id > 0')}`;
  const snapshot = await readUntilUpToDate(before.shapeUrl, query, null, '-1');
  expect(insertsOf(snapshot.messages, 13)).toBe(1);
  expect(before.service.engine().processedLsn).toBeLessThan(rowLsn);
  await before.stop();
  await release();
  sync = await startTestSync({ databaseUrl: db.url, slotName, dataDir: before.dataDir });
  const engine = sync.service.engine();
  await waitFor(() => (engine.processedLsn >= rowLsn ? true : undefined), 30_000);
  const log = await readUntilUpToDate(sync.shapeUrl, query, snapshot.handle, snapshot.offset);
  expect(insertsOf(log.messages, 13)).toBe(0);
});
