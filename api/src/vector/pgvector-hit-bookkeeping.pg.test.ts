// recordHit on pgvector must not touch the indexes: the update of hit_count/last_hit_at is HOT only if
// the new row version fits on its page (migration 0006's fillfactor); otherwise every hit re-inserts the
// row into the 1536-d HNSW graph.
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPgVectorStore } from './pgvector-store';
import { makeEntry, vectorAt } from './testing/semantic-entry-fixture';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

it('counts L2 hits with heap-only updates, however often an entry is hit', async () => {
  // One connection, so its own statistics can be flushed before they are read.
  const one = postgres(db.url, { max: 1, onnotice: () => {} });
  try {
    const store = createPgVectorStore({ sql: one });
    const tenantId = randomUUID();
    const entries = Array.from({ length: 300 }, (_, i) => makeEntry({ tenantId, prompt: `prompt ${i} `.repeat(20), embedding: vectorAt(0.5 + i / 1000, 1 + (i % 50)) }));
    await store.upsert(entries);
    for (let round = 0; round < 3; round++) {
      for (const e of entries) await store.recordHit(tenantId, e.id, 1_700_000_000_000 + round);
    }
    await one`select pg_stat_force_next_flush()`;
    await one`select 1`;
    const [stats] = await one<{ updates: number; hot: number }[]>`
      select pg_stat_get_tuples_updated(c.oid)::int as updates, pg_stat_get_tuples_hot_updated(c.oid)::int as hot
      from pg_class c where c.relname = 'semantic_cache_entries'`;
    expect(stats?.updates).toBe(900);
    expect(stats?.hot ?? 0).toBeGreaterThanOrEqual(0.95 * 900);
    const [hits] = await one<{ n: number }[]>`select min(hit_count)::int as n from semantic_cache_entries where tenant_id = ${tenantId}`;
    expect(hits?.n).toBe(3);
  } finally {
    await one.end();
  }
});
