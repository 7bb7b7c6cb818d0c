// L2 lookup latency at N entries (default 100k) through the real PgVectorStore.query, in the three scope
// shapes a deployment has at once: one scope holding half the table (a big tenant with one provider,
// brain, embedder and model → the HNSW path), scopes right at the exact-path limit (its worst case) and
// many small scopes. Vectors are the default hashing embedder's, of generated prompts over a shared
// vocabulary, so the geometry (sparse, lexical, shared hub words, exact duplicates) is what L2 stores.
// Recall: on the big scope (HNSW) and on the largest scanned scopes (signature shortlist), top-k against
// exact ranking of the same scope (ties by distance count as found), and how often a paraphrase query
// finds the entry it paraphrases.
import { randomUUID } from 'node:crypto';
import { createHashingEmbedder } from '../../src/vector/hashing-embedder';
import { createPgVectorStore } from '../../src/vector/pgvector-store';
import type { SemanticQuery } from '../../src/vector/vector-store';
import { BENCH_SHARED_BUFFERS, type BenchEnv } from './bench-env';
import { copyRows, latencyRow, seconds, vectorLiteral } from './bench-vectors';
import type { Random } from './random';

export interface L2BenchOptions {
  env: BenchEnv;
  entries: number;
  log: (line: string) => void;
  r: Random;
  /** Timed queries per row. Default 300. */
  queries?: number;
}

const TARGET = { text: 'p99 < 20 ms', percentile: 99, ms: 20 } as const;
/** The store's default scanScopeLimit; the medium scopes sit exactly on it. */
const DEFAULT_SCAN_SCOPE_LIMIT = 2000;
/** Tuning knobs: L2_SCAN_SCOPE_LIMIT=1000 / L2_SHORTLIST=128 run the same rows with other store options. */
const SCAN_SCOPE_LIMIT = Number(process.env.L2_SCAN_SCOPE_LIMIT ?? DEFAULT_SCAN_SCOPE_LIMIT);
const SHORTLIST = Number(process.env.L2_SHORTLIST ?? 64);
const TOP_K = 5;

const WORDS = {
  subject: ['a red car', 'an old man', 'a young woman', 'a black dog', 'two children', 'a knight', 'a robot', 'a dancer', 'a detective', 'a fisherman', 'a white horse', 'three soldiers', 'a cat', 'a chef', 'a pilot', 'a monk', 'a surfer', 'a blue truck', 'a girl', 'an astronaut'],
  action: ['walks', 'runs', 'waits', 'dances', 'fights', 'sleeps', 'laughs', 'cries', 'reads a letter', 'looks up', 'drives', 'climbs', 'sits alone', 'hides', 'sings', 'argues', 'paints', 'jumps', 'falls', 'eats'],
  place: ['on a street', 'in a forest', 'on the beach', 'in a kitchen', 'on a rooftop', 'in a train station', 'at the harbour', 'in the desert', 'on a bridge', 'in a library', 'in a market', 'on a mountain', 'in the rain', 'in a castle', 'in space', 'by the river', 'in a diner', 'in the snow', 'in a garden', 'at the airport'],
  time: ['at night', 'at dawn', 'at sunset', 'at noon', 'in winter', 'in autumn', 'during a storm', 'in fog', '', ''],
  style: ['cinematic', 'handheld', 'wide angle', 'close up', 'slow motion', 'aerial view', 'black and white', 'neon lit', '', '', '', ''],
};

export function benchPrompt(r: Random): string {
  return [r.pick(WORDS.style), r.pick(WORDS.subject), r.pick(WORDS.action), r.pick(WORDS.place), r.pick(WORDS.time)].filter(Boolean).join(' ');
}

/** A paraphrase the lexical embedder should still place close: filler words, one slot moved. */
export function benchParaphrase(r: Random, p: string): string {
  const filler = r.pick(['please show', 'i want', 'make a video of', 'really nice', 'just']);
  const parts = p.split(' ');
  return r.chance(0.5) ? `${filler} ${p}` : `${filler} ${parts.slice(1).join(' ')} ${parts[0] ?? ''}`;
}

export async function runL2Bench({ env, entries, log, r, queries = 300 }: L2BenchOptions): Promise<void> {
  const embedder = createHashingEmbedder();
  const now = Date.UTC(2026, 5, 1);
  const big = { tenant: randomUUID(), prompts: [] as string[] };
  const mediumCount = 10;
  const medium = Array.from({ length: mediumCount }, () => ({ tenant: randomUUID(), prompts: [] as string[] }));
  const smallCount = 1000;
  const small = Array.from({ length: smallCount }, () => ({ tenant: randomUUID(), prompts: [] as string[] }));
  const bigSize = Math.floor(entries / 2);
  const mediumSize = Math.min(DEFAULT_SCAN_SCOPE_LIMIT, Math.floor(entries / 5 / mediumCount));
  const scopeOf = (i: number) => (i < bigSize ? big : i < bigSize + mediumSize * mediumCount ? (medium[(i - bigSize) % mediumCount] as typeof big) : (small[i % smallCount] as typeof big));

  const t0 = performance.now();
  await env.sql`truncate semantic_cache_entries cascade`;
  // Build the index after the load (as a restore would): much faster than inserting into it row by row.
  await env.sql`drop index if exists semantic_cache_entries_embedding_hnsw_idx`;
  const result = JSON.stringify({ video_url: '/v1/media/x.mp4', cost_usd: 0.5 });
  const expires = new Date(now + 30 * 86_400_000).toISOString();
  const rows = async function* (): AsyncGenerator<string> {
    for (let i = 0; i < entries; i += 1000) {
      const batch = Array.from({ length: Math.min(1000, entries - i) }, (_, j) => ({ scope: scopeOf(i + j), text: benchPrompt(r) }));
      const vectors = await embedder.embed(batch.map((b) => b.text));
      for (const [j, b] of batch.entries()) {
        b.scope.prompts.push(b.text);
        yield [randomUUID(), b.scope.tenant, 'simulated', embedder.id, embedder.version, 'sim-1', b.text, b.text, '{}', '{}', vectorLiteral(vectors[j] as Float32Array), result, expires].join('\t');
      }
    }
  };
  await copyRows(env, 'semantic_cache_entries', 'id, tenant_id, provider, embedder_id, embedder_version, model_version, prompt, normalized_prompt, salient_tokens, parameters, embedding, result, expires_at', rows());
  const loadTime = seconds(t0);
  const t1 = performance.now();
  await env.sql`set maintenance_work_mem = '2GB'`;
  await env.sql`create index semantic_cache_entries_embedding_hnsw_idx on semantic_cache_entries using hnsw (embedding vector_cosine_ops)`;
  await env.sql`analyze semantic_cache_entries`;
  // A freshly built index is not in shared_buffers; a server that has been answering lookups has it
  // there. Prewarm it (and the heap + scope index) so the rows measure that steady state, not the first
  // few hundred queries after a build.
  await env.sql`create extension if not exists pg_prewarm`;
  const [warm] = await env.sql<{ pages: number }[]>`select (pg_prewarm('semantic_cache_entries_embedding_hnsw_idx') + pg_prewarm('semantic_cache_entries')
    + pg_prewarm('semantic_cache_entries_scope_idx'))::int as pages`;
  log(`  L2 setup: ${entries} entries (hashing embedder, 1536-d, generated prompts): 1 scope of ${bigSize}, ${mediumCount} of ${mediumSize}, ${smallCount} of ~${Math.round((entries - bigSize - mediumSize * mediumCount) / smallCount)}; loaded in ${loadTime}, HNSW (m=16, ef_construction=64, as migrated) built in ${seconds(t1)}; scanScopeLimit ${SCAN_SCOPE_LIMIT}, shortlist ${SHORTLIST}, ef_search 40 (store default), k ${TOP_K}, shared_buffers ${BENCH_SHARED_BUFFERS}, ${warm?.pages ?? 0} pages of HNSW index + heap + scope index prewarmed`);

  const store = createPgVectorStore({ sql: env.sql, scanScopeLimit: SCAN_SCOPE_LIMIT, shortlist: SHORTLIST });
  const base = { provider: 'simulated', brainId: null, embedderId: embedder.id, embedderVersion: embedder.version, modelVersion: 'sim-1', topK: TOP_K, now, minSimilarity: 0.95 };
  /** Half paraphrases of a stored prompt of the scope (would-be hits), half new prompts (misses). */
  const queryText = (scope: typeof big): string => (scope.prompts.length > 0 && r.chance(0.5) ? benchParaphrase(r, r.pick(scope.prompts)) : benchPrompt(r));
  const rowsToMeasure = [
    [`L2 query, 1 scope of ${bigSize} (HNSW path)`, () => big],
    [`L2 query, ${mediumCount} scopes of ${mediumSize} (${mediumSize <= SCAN_SCOPE_LIMIT ? 'scan path, its largest' : 'HNSW path'})`, () => r.pick(medium)],
    [`L2 query, ${smallCount} scopes of ~${Math.round((entries - bigSize - mediumSize * mediumCount) / smallCount)} (scan path)`, () => r.pick(small)],
  ] as const;
  for (const [label, pickScope] of rowsToMeasure) {
    const samples: number[] = [];
    for (let i = -20; i < queries; i++) {
      const scope = pickScope();
      const [embedding] = await embedder.embed([queryText(scope)]);
      const t = performance.now();
      await store.query({ ...base, tenantId: scope.tenant, embedding: embedding as Float32Array });
      if (i >= 0) samples.push(performance.now() - t);
    }
    log(latencyRow(label, TARGET, samples));
  }
  await scopeRecall({ env, store, base, scopes: [big], label: `big-scope (HNSW)`, log, r, queries: 50 });
  await scopeRecall({ env, store, base, scopes: medium, label: `${mediumSize}-entry scopes (scan)`, log, r, queries: 50 });
}

async function scopeRecall(o: {
  env: BenchEnv;
  store: ReturnType<typeof createPgVectorStore>;
  base: Omit<SemanticQuery, 'tenantId' | 'embedding'>;
  scopes: readonly { tenant: string; prompts: string[] }[];
  label: string;
  log: (line: string) => void;
  r: Random;
  queries: number;
}): Promise<void> {
  const scopes = o.scopes.filter((s) => s.prompts.length > 0);
  if (scopes.length === 0) return;
  const embedder = createHashingEmbedder();
  // Every scope scanned, every row of it ranked exactly: the ground truth.
  const exact = createPgVectorStore({ sql: o.env.sql, scanScopeLimit: 10_000_000, shortlist: 'all' });
  let found = 0;
  let paraphrases = 0;
  let paraphraseTop1 = 0;
  const t0 = performance.now();
  for (let i = 0; i < o.queries; i++) {
    const scope = o.r.pick(scopes);
    const source = o.r.pick(scope.prompts);
    const isParaphrase = i % 2 === 0;
    const [embedding] = await embedder.embed([isParaphrase ? benchParaphrase(o.r, source) : benchPrompt(o.r)]);
    const q = { ...o.base, tenantId: scope.tenant, embedding: embedding as Float32Array, minSimilarity: -1 };
    const [ann, truth] = await Promise.all([o.store.query(q), exact.query(q)]);
    const kth = truth.at(-1)?.similarity ?? 1;
    found += Math.min(truth.length, ann.filter((m) => m.similarity >= kth - 1e-6).length) / Math.max(1, truth.length);
    if (isParaphrase) {
      paraphrases++;
      // Found = the best answer is as similar as the exact best (a tie with a duplicate prompt counts).
      if ((ann[0]?.similarity ?? -2) >= (truth[0]?.similarity ?? 2) - 1e-6) paraphraseTop1++;
    }
  }
  const recall = found / o.queries;
  o.log(`  L2 ${o.label} recall@${o.base.topK} vs exact ranking of the same scope: ${recall.toFixed(3)} over ${o.queries} queries (half paraphrases, half new prompts); paraphrase's best match found ${paraphraseTop1}/${paraphrases} (exact side took ${seconds(t0)})`);
}
