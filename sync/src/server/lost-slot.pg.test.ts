// A replication slot invalidated by Postgres (it fell behind max_slot_wal_keep_size while the server was
// down: wal_status 'lost', START_REPLICATION fails with "can no longer get changes from replication slot").
// The server must recreate the slot, reset every shape (409 → fresh snapshot that includes what the lost
// slot never delivered), count it in a metric and keep serving live changes.
// Runs on its own throwaway cluster: it lowers max_slot_wal_keep_size, which would endanger the slots of
// every other test file on the shared one.
import type { Offset } from '@electric-sql/client';
import { startTestStack, type TestStack } from '@storyforge/db/stack';
import postgres from 'postgres';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectMessages, type Collector } from './testing/collect-messages';
import { startTestSync, type TestSync } from './testing/start-test-sync';
import { waitFor } from './testing/wait-for';

const SLOT = 'lost_slot_test';
let stack: TestStack;
let admin: postgres.Sql;
let sql: postgres.Sql;
let url: string;
let sync: TestSync;
const registry = new Registry();

beforeAll(async () => {
  // 1MB rounds down to zero whole segments: the first checkpoint after a WAL segment switch invalidates a
  // slot whose restart point is in an older segment. (A command-line setting: ALTER SYSTEM cannot override it.)
  stack = await startTestStack(undefined, { postgresSettings: { max_slot_wal_keep_size: '1MB' } });
  admin = postgres(stack.postgres.adminUrl, { max: 1, onnotice: () => {} });
  await admin`create database lost_slot`;
  const u = new URL(stack.postgres.adminUrl);
  u.pathname = '/lost_slot';
  url = u.toString();
  sql = postgres(url, { max: 2, onnotice: () => {} });
  await sql`create table events (id int primary key, body text not null)`;
  await sql`insert into events select g, 'before' from generate_series(1, 5) g`;
  sync = await startTestSync({ databaseUrl: url, slotName: SLOT, registry, slotLagPollMs: 100 });
}, 180_000);
afterAll(async () => {
  await sync?.destroy();
  await sql?.end({ timeout: 1 });
  await admin?.end({ timeout: 1 });
  await stack?.stop();
});

const slotRow = async () =>
  (await admin<{ wal_status: string | null; active: boolean }[]>`select wal_status, active from pg_replication_slots where slot_name = ${SLOT}`)[0];
const ids = (c: Collector, from = 0) => [...new Set(c.all.slice(from).flatMap((m) => ('value' in m ? [Number(m.value.id)] : [])))].sort((a, b) => a - b);

it('recreates a lost slot at start, resets its shapes (409 → fresh snapshot) and keeps streaming', async () => {
  const first = collectMessages({ url: sync.shapeUrl, params: { table: 'events' } });
  await waitFor(() => (first.upToDateCount() > 0 ? true : undefined));
  await sql`insert into events values (6, 'live')`;
  await waitFor(() => first.changes.find((m) => m.value.id === 6));
  const handle = first.stream.shapeHandle ?? '';
  const offset: Offset = first.stream.lastOffset;
  first.close();
  await sync.stop();

  // Written while the slot is lost: only a fresh snapshot can bring these to the client.
  await sql`insert into events select g, 'while lost' from generate_series(100, 149) g`;
  await waitFor(async () => {
    await admin`select pg_logical_emit_message(false, 'lost-slot-test', repeat('x', 1000))`;
    await admin`select pg_switch_wal()`;
    await admin`checkpoint`;
    return (await slotRow())?.wal_status === 'lost' ? true : undefined;
  }, 20_000);

  sync = await startTestSync({ databaseUrl: url, slotName: SLOT, registry, slotLagPollMs: 100, dataDir: sync.dataDir });
  const recreated = await waitFor(async () => {
    const row = await slotRow();
    return row?.active === true ? row : undefined;
  });
  expect(recreated.wal_status).not.toBe('lost');

  // A client resuming with the old handle is told to refetch and converges on the whole table.
  const resumed = collectMessages({ url: sync.shapeUrl, params: { table: 'events' }, handle, offset });
  const refetchAt = await waitFor(() => {
    const i = resumed.all.findIndex((m) => m.headers.control === 'must-refetch');
    return i < 0 ? undefined : i;
  });
  await waitFor(() => (resumed.upToDateCount() > 0 && ids(resumed, refetchAt).length >= 56 ? true : undefined));
  const expected = [1, 2, 3, 4, 5, 6, ...Array.from({ length: 50 }, (_v, i) => 100 + i)];
  expect(ids(resumed, refetchAt)).toEqual(expected);
  expect(resumed.stream.shapeHandle).not.toBe(handle);

  // The new slot streams: a live change arrives on the new handle.
  await sql`insert into events values (500, 'after recovery')`;
  const live = await waitFor(() => resumed.changes.find((m) => m.value.id === 500));
  expect(live.headers.operation).toBe('insert');
  resumed.close();

  const metrics = await registry.metrics();
  expect(metrics).toMatch(/storyforge_sync_slot_recreated_total\{reason="lost"\} 1\b/);
  await waitFor(async () => (/storyforge_sync_slot_safe_wal_bytes \d+/.test(await registry.metrics()) ? true : undefined));
  const health = await fetch(`${sync.baseUrl}/v1/health`);
  expect(health.status).toBe(200);
});

it('recovers when the slot is invalidated while streaming (the walsender is terminated, the reconnect finds it lost)', async () => {
  const c = collectMessages({ url: sync.shapeUrl, params: { table: 'events' } });
  await waitFor(() => (c.upToDateCount() > 0 ? true : undefined));
  const handle = c.stream.shapeHandle;
  // An open transaction pins the slot's restart point (logical decoding needs it from its first record),
  // so confirming later changes cannot save the slot from the checkpoint below.
  const held = await sql.reserve();
  try {
    await held`begin`;
    await held`insert into events values (900, 'held open')`;
    await waitFor(async () => {
      await admin`select pg_logical_emit_message(false, 'lost-slot-test', repeat('x', 1000))`;
      await admin`select pg_switch_wal()`;
      await admin`checkpoint`;
      const row = await slotRow();
      return row === undefined || row.wal_status === 'lost' ? true : undefined; // lost, or already dropped by the server
    }, 20_000);
    // Creating the new slot waits for running transactions: let this one finish.
    await held`commit`;
  } finally {
    held.release();
  }
  await waitFor(async () => ((await slotRow())?.active === true ? true : undefined), 20_000);
  await sql`insert into events values (901, 'after')`;
  await waitFor(() => (c.stream.shapeHandle !== handle && c.changes.some((m) => m.value.id === 901) ? true : undefined), 20_000);
  const refetchAt = c.all.findIndex((m) => m.headers.control === 'must-refetch');
  expect(refetchAt).toBeGreaterThanOrEqual(0);
  const [count] = await sql<{ n: number }[]>`select count(*)::int as n from events`;
  expect(ids(c, refetchAt)).toHaveLength(count?.n ?? -1);
  expect(ids(c, refetchAt)).toContain(900);
  expect(await registry.metrics()).toMatch(/storyforge_sync_slot_recreated_total\{reason="lost"\} 2\b/);
  c.close();
});
