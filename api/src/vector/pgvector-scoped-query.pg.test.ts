// Plan choice and recall of the L2 top-k (pgvector-scoped-query.ts), and the signature column it scans. Regression: the "HNSW path" used to
// run as an index scan on semantic_cache_entries_expires_at_idx + a sort of the whole scope (0.5–2.3 s
// at 100k entries) because the planner expects ~1 row from the correlated scope predicates.
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHashingEmbedder } from './hashing-embedder';
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
  it('ranks a scope over the limit through the HNSW index (no sort), a smaller one by a scan', async () => {
    const vector = toPgVector(clustered());
    const options = { sql: db.sql, vector, scanScopeLimit: LIMIT, shortlist: 16, efSearch: 100, columns: 'id', explain: true };
    const big = await scopedTopK<{ 'QUERY PLAN': string }>({ ...options, query: query(bigTenant, new Float32Array(0)) });
    const bigPlan = big.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(big.plan).toBe('hnsw');
    expect(big.scopeCount).toBe(LIMIT + 1);
    expect(bigPlan).toContain('Index Scan using semantic_cache_entries_embedding_hnsw_idx');
    expect(bigPlan).not.toMatch(/Sort|expires_at_idx/);

    const small = await scopedTopK<{ 'QUERY PLAN': string }>({ ...options, query: query(smallTenant, new Float32Array(0)) });
    expect(small.plan).toBe('scan');
    expect(small.scopeCount).toBe(10);
    expect(small.rows.map((r) => r['QUERY PLAN']).join('\n')).not.toContain('embedding_hnsw_idx');

    const all = await scopedTopK<{ 'QUERY PLAN': string }>({ ...options, shortlist: 'all', query: query(smallTenant, new Float32Array(0)) });
    expect(all.plan).toBe('exact');
    expect(all.rows.map((r) => r['QUERY PLAN']).join('\n')).not.toContain('embedding_signature');
  });

  it('keeps its planner settings inside its own transaction', async () => {
    const one = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      const before = await one`select current_setting('enable_sort') as sort, current_setting('jit') as jit, current_setting('enable_bitmapscan') as bitmap`;
      await createPgVectorStore({ sql: one, scanScopeLimit: LIMIT }).query(query(bigTenant, clustered()));
      const after = await one`select current_setting('enable_sort') as sort, current_setting('jit') as jit, current_setting('enable_bitmapscan') as bitmap`;
      expect(after).toEqual(before);
    } finally {
      await one.end();
    }
  });
});

describe('HNSW path recall on clustered data', () => {
  const hnsw = () => createPgVectorStore({ sql: db.sql, scanScopeLimit: LIMIT });
  const exact = () => createPgVectorStore({ sql: db.sql, scanScopeLimit: 1_000_000, shortlist: 'all' });

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

describe('signature scan', () => {
  // Every scope is scanned; the shortlist (16) is far smaller than the scopes (400, 300 rows), so the
  // Hamming ranking decides what is re-ranked at all.
  const scan = () => createPgVectorStore({ sql: db.sql, scanScopeLimit: 1_000_000, shortlist: 16 });
  const exact = () => createPgVectorStore({ sql: db.sql, scanScopeLimit: 1_000_000, shortlist: 'all' });

  it('stores two sign bits per dimension: > 0, then < 0, none for a zero', async () => {
    const embedding = new Float32Array(DIM);
    embedding[0] = 0.6;
    embedding[1] = -0.8;
    const entry = makeEntry({ tenantId: randomUUID(), embedding });
    await createPgVectorStore({ sql: db.sql }).upsert([entry]);
    const [row] = await db.sql<{ signature: string }[]>`select embedding_signature::text as signature from semantic_cache_entries where id = ${entry.id}`;
    const expected = '1'.padEnd(DIM, '0') + '01'.padEnd(DIM, '0');
    expect(row?.signature).toBe(expected);
  });

  it('finds what exact ranking finds on clustered vectors: itself first, recall@5 ≥ 0.9', async () => {
    for (const entry of bigEntries.slice(0, 20)) {
      const [best] = await scan().query(query(bigTenant, entry.embedding, 1));
      expect(best?.entry.id).toBe(entry.id);
    }
    let found = 0;
    const queries = 20;
    for (let i = 0; i < queries; i++) {
      const q = query(bigTenant, clustered());
      const [got, truth] = await Promise.all([scan().query(q), exact().query(q)]);
      expect(got).toHaveLength(5);
      const kth = truth.at(-1)?.similarity ?? 1;
      found += got.filter((m) => m.similarity >= kth - 1e-6).length / 5;
    }
    expect(found / queries).toBeGreaterThanOrEqual(0.9);
  });

  it('finds the best match of a lexical paraphrase among many near-variants (what L2 serves)', async () => {
    // The hashing embedder's vectors are sparse and signed; the scope is 300 near-variants of one
    // sentence (one word changed), all within a few signs of the query, and only 16 are re-ranked.
    const embedder = createHashingEmbedder();
    const tenantId = randomUUID();
    const colours = ['red', 'blue', 'green', 'yellow', 'white', 'black', 'orange', 'purple', 'grey', 'pink'];
    const places = ['street', 'forest', 'beach', 'harbour', 'rooftop', 'market'];
    const times = ['night', 'dawn', 'noon', 'dusk', 'winter'];
    const prompts = colours.flatMap((c) => places.flatMap((p) => times.map((t) => `a ${c} car drives through the ${p} at ${t}`)));
    const vectors = await embedder.embed(prompts);
    await createPgVectorStore({ sql: db.sql }).upsert(prompts.map((prompt, i) => makeEntry({ tenantId, prompt, embedding: vectors[i] as Float32Array })));
    const paraphrases = ['please show a blue car drives through the harbour at dusk', 'at night a pink car drives through the market', 'a green car drives through the forest at dawn really nice'];
    for (const [i, embedding] of (await embedder.embed(paraphrases)).entries()) {
      const q = { ...query(tenantId, embedding as Float32Array, 1) };
      const [[got], [truth]] = await Promise.all([scan().query(q), exact().query(q)]);
      expect(truth?.similarity, paraphrases[i]).toBeGreaterThan(0.8);
      expect(got?.entry.id, paraphrases[i]).toBe(truth?.entry.id);
    }
  });
});
