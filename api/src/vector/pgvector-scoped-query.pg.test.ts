// Plan choice and recall of the L2 top-k (pgvector-scoped-query.ts). Regression: the "HNSW path" used to
// run as an index scan on semantic_cache_entries_expires_at_idx + a sort of the whole scope (0.5–2.3 s
// at 100k entries) because the planner expects ~1 row from the correlated scope predicates.
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgVectorStore } from './pgvector-store';
import { scopedTopK } from './pgvector-scoped-query';
import { toPgVector } from './similarity';
import { makeEntry } from './testing/semantic-entry-fixture';
import type { SemanticEntry, SemanticQuery } from './vector-store';

const DIM = 1536;
const LIMIT = 40;
const NOW = 1_700_000_000_000;
let db: TestDatabase;
const bigTenant = randomUUID();
const smallTenant = randomUUID();
const bigEntries: SemanticEntry[] = [];

/** Seeded PRNG (mulberry32), so the data and therefore the HNSW graph are the same every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = random(11);
const centres = Array.from({ length: 12 }, () => Float32Array.from({ length: DIM }, () => rnd() * 2 - 1));
/** Clustered unit vectors (centre + noise): realistic for ANN, unlike uniform random or axis-aligned ones. */
function clustered(): Float32Array {
  const c = centres[Math.floor(rnd() * centres.length)] as Float32Array;
  const v = Float32Array.from(c, (x) => x + (rnd() * 2 - 1) * 0.8);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

function query(tenantId: string, embedding: Float32Array, topK = 5): SemanticQuery {
  return { tenantId, provider: 'simulated', brainId: null, embedderId: 'test', embedderVersion: '1', modelVersion: 'm1', topK, now: NOW + 1000, minSimilarity: -1, embedding };
}

beforeAll(async () => {
  db = await createTestDatabase();
  const store = createPgVectorStore({ sql: db.sql });
  for (let i = 0; i < 400; i++) bigEntries.push(makeEntry({ tenantId: bigTenant, embedding: clustered() }));
  const others = Array.from({ length: 400 }, (_, i) => makeEntry({ tenantId: i < 10 ? smallTenant : randomUUID(), embedding: clustered() }));
  await store.upsert([...bigEntries, ...others]);
  // Production has statistics; they are what misleads the planner into sorting the scope.
  await db.sql`analyze semantic_cache_entries`;
});
afterAll(() => db.drop());

describe('scopedTopK plan choice', () => {
  it('ranks a scope over the limit through the HNSW index (no sort), a smaller one exactly', async () => {
    const vector = toPgVector(clustered());
    const options = { sql: db.sql, vector, exactScopeLimit: LIMIT, efSearch: 100, columns: 'id', explain: true };
    const big = await scopedTopK<{ 'QUERY PLAN': string }>({ ...options, query: query(bigTenant, new Float32Array(0)) });
    const bigPlan = big.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(big.plan).toBe('hnsw');
    expect(big.scopeCount).toBe(LIMIT + 1);
    expect(bigPlan).toContain('Index Scan using semantic_cache_entries_embedding_hnsw_idx');
    expect(bigPlan).not.toMatch(/Sort|expires_at_idx/);

    const small = await scopedTopK<{ 'QUERY PLAN': string }>({ ...options, query: query(smallTenant, new Float32Array(0)) });
    expect(small.plan).toBe('exact');
    expect(small.scopeCount).toBe(10);
    expect(small.rows.map((r) => r['QUERY PLAN']).join('\n')).not.toContain('embedding_hnsw_idx');
  });

  it('keeps its planner settings inside its own transaction', async () => {
    const one = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      const before = await one`select current_setting('enable_sort') as sort, current_setting('jit') as jit, current_setting('enable_bitmapscan') as bitmap`;
      await createPgVectorStore({ sql: one, exactScopeLimit: LIMIT }).query(query(bigTenant, clustered()));
      const after = await one`select current_setting('enable_sort') as sort, current_setting('jit') as jit, current_setting('enable_bitmapscan') as bitmap`;
      expect(after).toEqual(before);
    } finally {
      await one.end();
    }
  });
});

describe('HNSW path recall on clustered data', () => {
  const hnsw = () => createPgVectorStore({ sql: db.sql, exactScopeLimit: LIMIT });
  const exact = () => createPgVectorStore({ sql: db.sql, exactScopeLimit: 1_000_000 });

  it('finds a stored vector as its own best match', async () => {
    for (const entry of bigEntries.slice(0, 20)) {
      const [best] = await hnsw().query(query(bigTenant, entry.embedding, 1));
      expect(best?.entry.id).toBe(entry.id);
      expect(best?.similarity).toBeCloseTo(1, 5);
    }
  });

  it('returns k rows with recall@5 ≥ 0.9 against exact ranking of the same scope', async () => {
    let found = 0;
    const queries = 20;
    for (let i = 0; i < queries; i++) {
      const q = query(bigTenant, clustered());
      const [ann, truth] = await Promise.all([hnsw().query(q), exact().query(q)]);
      expect(ann).toHaveLength(5);
      expect(ann.every((m) => m.entry.tenantId === bigTenant)).toBe(true);
      const kth = truth.at(-1)?.similarity ?? 1;
      found += ann.filter((m) => m.similarity >= kth - 1e-6).length / 5;
    }
    expect(found / queries).toBeGreaterThanOrEqual(0.9);
  });
});
