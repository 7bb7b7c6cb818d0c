// Lookup latency at scale: L1 (Redis), L2 (pgvector, 100k entries in one scope → the HNSW path, plus
// many small scopes → the exact path), character faces top-10 over 100k 512-d vectors with recall@10
// against exact search. Vectors are clustered (low-rank + noise), never uniform random: uniform data
// makes every ANN index look better than it is.
import { randomUUID } from 'node:crypto';
import { createL1ExactCache } from '../../src/cache/l1-exact-cache';
import { createPgVectorStore } from '../../src/vector/pgvector-store';
import { toPgVector } from '../../src/vector/similarity';
import type { BenchEnv } from './bench-env';
import { percentile } from './bench-env';
import { createRandom, type Random } from './random';

export interface LatencyOptions {
  env: BenchEnv;
  l2Entries: number;
  faces: number;
  log: (line: string) => void;
}

function clustered(r: Random, dim: number, centres: Float32Array[], noise: number): Float32Array {
  const c = centres[r.int(centres.length)] as Float32Array;
  const v = new Float32Array(dim);
  let norm = 0;
  for (let i = 0; i < dim; i++) {
    v[i] = (c[i] as number) + (r.next() * 2 - 1) * noise;
    norm += (v[i] as number) ** 2;
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < dim; i++) v[i] = (v[i] as number) / norm;
  return v;
}

function centres(r: Random, n: number, dim: number): Float32Array[] {
  return Array.from({ length: n }, () => Float32Array.from({ length: dim }, () => r.next() * 2 - 1));
}

function row(label: string, target: string, samples: number[], pass: (p: number) => boolean, extra = ''): string {
  const p50 = percentile(samples, 50);
  const p95 = percentile(samples, 95);
  const p99 = percentile(samples, 99);
  return `  ${label.padEnd(46)} target ${target.padEnd(12)} p50 ${p50.toFixed(2)} ms  p95 ${p95.toFixed(2)} ms  p99 ${p99.toFixed(2)} ms  ${pass(target.includes('p95') ? p95 : p99) ? 'PASS' : 'FAIL'}${extra}`;
}

/** Binary COPY of pgvector values would be faster; text COPY in batches is simple and fine for a bench. */
async function copyRows(env: BenchEnv, table: string, columns: string, rows: Iterable<string>): Promise<void> {
  const stream = await env.sql.unsafe(`copy ${table} (${columns}) from stdin`).writable();
  for (const line of rows) {
    if (!stream.write(`${line}\n`)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

export async function runLatencyBenches({ env, l2Entries, faces, log }: LatencyOptions): Promise<void> {
  const r = createRandom(7);
  const now = Date.UTC(2026, 5, 1);

  // L1: 20k keys, 5k lookups (80 % hits).
  const l1 = createL1ExactCache({ redis: env.redis, keyPrefix: 'lat:', now: () => now });
  const video = { videoUrl: '/v1/media/x.mp4', thumbnailUrl: '/v1/media/x.jpg', costUsd: 0.5, generationMs: 28_000, sourceRequestId: 'r1' };
  for (let i = 0; i < 20_000; i += 500) {
    await Promise.all(Array.from({ length: 500 }, (_, j) => l1.set(`k${i + j}`, video)));
  }
  const l1Samples: number[] = [];
  for (let i = 0; i < 5_000; i++) {
    const key = r.chance(0.8) ? `k${r.int(20_000)}` : `missing${i}`;
    const t = performance.now();
    await l1.get(key);
    l1Samples.push(performance.now() - t);
  }
  log(row('L1 get (Redis, 20k keys, 5k lookups)', 'p99 < 2 ms', l1Samples, (p) => p < 2));

  // L2: l2Entries 1536-d entries; half in ONE scope (HNSW path), half over 1,000 small scopes (exact path).
  const dim = 1536;
  const big = randomUUID();
  const smallTenants = Array.from({ length: 1000 }, () => randomUUID());
  const cs = centres(r, 200, dim);
  const t0 = performance.now();
  await env.sql`truncate semantic_cache_entries cascade`;
  await env.sql`drop index if exists semantic_cache_entries_embedding_hnsw_idx`;
  const result = JSON.stringify({ video_url: '/v1/media/x.mp4', cost_usd: 0.5 });
  const expires = new Date(now + 86_400_000 * 30).toISOString();
  const lines = function* (): Generator<string> {
    for (let i = 0; i < l2Entries; i++) {
      const tenant = i % 2 === 0 ? big : (smallTenants[r.int(smallTenants.length)] as string);
      const v = clustered(r, dim, cs, 0.6);
      yield [randomUUID(), tenant, 'simulated', 'hashing-ngram', '2-d1536', 'sim-1', 'p', 'p', '{}', '{}', toPgVector(Array.from(v, (x) => Math.round(x * 1e5) / 1e5)), result, expires].join('\t');
    }
  };
  await copyRows(env, 'semantic_cache_entries', 'id, tenant_id, provider, embedder_id, embedder_version, model_version, prompt, normalized_prompt, salient_tokens, parameters, embedding, result, expires_at', lines());
  const loaded = performance.now();
  await env.sql`set maintenance_work_mem = '2GB'`;
  await env.sql`create index semantic_cache_entries_embedding_hnsw_idx on semantic_cache_entries using hnsw (embedding vector_cosine_ops)`;
  await env.sql`analyze semantic_cache_entries`;
  log(`  L2 setup: ${l2Entries} entries loaded in ${((loaded - t0) / 1000).toFixed(0)} s, HNSW (m=16, ef_construction=64) built in ${((performance.now() - loaded) / 1000).toFixed(0)} s`);
  const store = createPgVectorStore({ sql: env.sql });
  const scope = { provider: 'simulated', brainId: null, embedderId: 'hashing-ngram', embedderVersion: '2-d1536', modelVersion: 'sim-1', topK: 5, now, minSimilarity: 0.95 };
  for (const [label, tenantOf] of [
    [`L2 query, 1 scope of ${l2Entries / 2} (HNSW path)`, () => big],
    [`L2 query, 1,000 scopes of ~${Math.round(l2Entries / 2000)} (exact path)`, () => smallTenants[r.int(smallTenants.length)] as string],
  ] as const) {
    const samples: number[] = [];
    for (let i = 0; i < 300; i++) {
      const q = clustered(r, dim, cs, 0.6);
      const t = performance.now();
      await store.query({ ...scope, tenantId: tenantOf(), embedding: q });
      if (i >= 20) samples.push(performance.now() - t);
    }
    log(row(label, 'p99 < 20 ms', samples, (p) => p < 20));
  }

  // Faces: 100k 512-d face embeddings over 50 projects; top-10 within a project and across all.
  if (faces > 0) await runFaceBench({ env, faces, log, r });
}

async function runFaceBench({ env, faces, log, r }: { env: BenchEnv; faces: number; log: (line: string) => void; r: Random }): Promise<void> {
  const dim = 512;
  const sql = env.sql;
  await sql`create table if not exists bench_faces (id uuid primary key, project_id uuid not null, face_embedding vector(512) not null)`;
  await sql`truncate bench_faces`;
  const cs = centres(r, 500, dim);
  const t0 = performance.now();
  const projects = Array.from({ length: 50 }, () => randomUUID());
  const lines = function* (): Generator<string> {
    for (let i = 0; i < faces; i++) {
      yield [randomUUID(), projects[r.int(projects.length)], toPgVector(Array.from(clustered(r, dim, cs, 0.5), (x) => Math.round(x * 1e5) / 1e5))].join('\t');
    }
  };
  await copyRows(env, 'bench_faces', 'id, project_id, face_embedding', lines());
  const loaded = performance.now();
  await sql`set maintenance_work_mem = '2GB'`;
  await sql`create index on bench_faces using hnsw (face_embedding vector_cosine_ops) with (m = 16, ef_construction = 128)`;
  await sql`analyze bench_faces`;
  log(`  faces setup: ${faces} × 512-d loaded in ${((loaded - t0) / 1000).toFixed(0)} s, HNSW built in ${((performance.now() - loaded) / 1000).toFixed(0)} s (same table shape and index as characters.face_embedding)`);
  for (const ef of [40, 100]) {
    const samples: number[] = [];
    let recall = 0;
    const queries = 200;
    for (let i = 0; i < queries + 10; i++) {
      const q = toPgVector(clustered(r, dim, cs, 0.5));
      const t = performance.now();
      const ann = await sql.begin(async (tx) => {
        await tx.unsafe(`set local hnsw.ef_search = ${ef}`);
        return tx.unsafe<{ id: string }[]>('select id from bench_faces order by face_embedding <=> $1::vector limit 10', [q]);
      });
      if (i < 10) continue;
      samples.push(performance.now() - t);
      const exact = await sql.begin(async (tx) => {
        await tx`set local enable_indexscan = off`;
        return tx.unsafe<{ id: string }[]>('select id from bench_faces order by face_embedding <=> $1::vector limit 10', [q]);
      });
      const truth = new Set(exact.map((x) => x.id));
      recall += ann.filter((x) => truth.has(x.id)).length / 10;
    }
    log(row(`faces top-10 over ${faces} (HNSW, ef_search=${ef})`, 'p95 < 10 ms', samples, (p) => p < 10, `  recall@10 ${(recall / queries).toFixed(3)} (target ≥ 0.95)`));
  }
}
