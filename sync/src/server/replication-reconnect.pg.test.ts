// A dropped replication connection (walsender terminated) mid-stream: the service reconnects and every
// committed change still arrives exactly once; slot lag is exported as a metric.
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectMessages } from './testing/collect-messages';
import { startTestSync, type TestSync } from './testing/start-test-sync';
import { waitFor } from './testing/wait-for';

let db: TestDatabase;
let sync: TestSync;
const registry = new Registry();

beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
  await db.sql`create table ticks (id int primary key)`;
  sync = await startTestSync({ databaseUrl: db.url, slotName: `slot_${db.name}`, registry, slotLagPollMs: 100 });
});
afterAll(async () => {
  await sync?.destroy();
  await db?.drop();
});

it('survives a terminated walsender without losing or repeating a change', async () => {
  const c = collectMessages({ url: sync.shapeUrl, params: { table: 'ticks' } });
  await waitFor(() => (c.upToDateCount() > 0 ? true : undefined));
  const N = 60;
  for (let i = 1; i <= N; i++) {
    await db.sql`insert into ticks values (${i})`;
    if (i % 20 === 0) {
      // Wait for the (re)connected walsender, then kill it.
      const pid = await waitFor(async () => {
        const [row] = await db.sql<{ pid: number | null }[]>`select active_pid as pid from pg_replication_slots where slot_name = ${`slot_${db.name}`}`;
        return row?.pid ?? undefined;
      });
      const [killed] = await db.sql<{ ok: boolean }[]>`select pg_terminate_backend(${pid}) as ok`;
      expect(killed?.ok).toBe(true);
    }
  }
  await waitFor(() => (c.changes.length >= N ? true : undefined), 20_000);
  await new Promise((r) => setTimeout(r, 300));
  expect(c.changes.map((m) => Number(m.value.id))).toEqual(Array.from({ length: N }, (_v, i) => i + 1));
  c.close();
});

it('recreates a slot that disappeared and resets its shapes; clients re-snapshot and converge', async () => {
  const c = collectMessages({ url: sync.shapeUrl, params: { table: 'ticks' } });
  await waitFor(() => (c.upToDateCount() > 0 ? true : undefined));
  const slot = `slot_${db.name}`;
  await waitFor(async () => {
    await db.sql`select pg_terminate_backend(active_pid) from pg_replication_slots where slot_name = ${slot} and active_pid is not null`;
    try {
      await db.sql`select pg_drop_replication_slot(${slot})`;
      return true;
    } catch {
      return undefined; // still active (the service reconnected first): terminate and try again
    }
  });
  await db.sql`insert into ticks values (1000)`; // lost with the old slot: only a re-snapshot can bring it
  await waitFor(async () => {
    const [row] = await db.sql`select 1 from pg_replication_slots where slot_name = ${slot} and active_pid is not null`;
    return row === undefined ? undefined : true;
  }, 20_000);
  await db.sql`insert into ticks values (1001)`;
  const { openShape } = await import('./testing/open-shape');
  const fresh = openShape({ url: sync.shapeUrl, params: { table: 'ticks' } });
  await waitFor(() => (fresh.shape.currentRows.length === 62 ? true : undefined), 20_000);
  fresh.close();
  c.close();
});

it('exports slot lag, ingest and shape metrics on the injected registry', async () => {
  const text = await waitFor(async () => {
    const t = await registry.metrics();
    return /storyforge_sync_slot_lag_bytes \d+/.test(t) && /storyforge_sync_shapes [1-9]/.test(t) ? t : undefined;
  });
  expect(text).toMatch(/storyforge_sync_changes_ingested_total [1-9]\d*/);
  expect(text).toMatch(/storyforge_sync_replication_lag_seconds \d/);
});
