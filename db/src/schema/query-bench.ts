// `npm run bench -w @storyforge/db` (part of it): do the schema's indexes meet the server-side query
// targets? Seeds `--scale N` data (N scenes + N characters with clustered 512-d faces) on a throwaway
// cluster, then times the common queries and HNSW top-10 face search (recall@10 against an exact scan
// measured in the same run, which is also the latency baseline). N from STORYFORGE_QUERY_BENCH_N.
import { cpus, totalmem } from 'node:os';
import postgres from 'postgres';
import { migrateUp } from '../migrate/index';
import { runSeed } from '../seed/run-seed';
import { startTestStack } from '../stack/test-stack';

const COMMON_P95_TARGET_MS = 5;
const HNSW_P95_TARGET_MS = 10;
const RECALL_TARGET = 0.95;
const RUNS = 300;
const VECTOR_QUERIES = 100;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function time(run: () => Promise<unknown>, runs: number): Promise<number[]> {
  for (let i = 0; i < Math.min(20, runs); i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await run();
    samples.push(performance.now() - t);
  }
  return samples;
}

function pick<T>(items: readonly T[], i: number): T {
  const item = items[(i * 7919) % items.length];
  if (item === undefined) throw new Error('empty sample');
  return item;
}

function perturb(vector: number[], i: number): string {
  // Deterministic small noise (another photo of the same face), renormalised.
  const v = vector.map((x, d) => x + 0.02 * Math.sin(i * 31 + d * 17));
  const norm = Math.hypot(...v) || 1;
  return `[${v.map((x) => (x / norm).toFixed(6)).join(',')}]`;
}

async function main(): Promise<void> {
  const n = Number(process.env.STORYFORGE_QUERY_BENCH_N ?? 100_000);
  console.log(`query bench: --scale ${n} (${n} scenes, ${n} characters with clustered 512-d faces, HNSW m=16 ef_construction=64)`);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB; Postgres 15 throwaway cluster (fsync off); postgres.js over loopback, ${RUNS} runs per query after 20 warm-up`);
  const stack = await startTestStack();
  try {
    const admin = postgres(stack.postgres.adminUrl, { max: 1, onnotice: () => {} });
    await admin`create database query_bench`;
    await admin.end();
    const url = new URL(stack.postgres.adminUrl);
    url.pathname = '/query_bench';
    await migrateUp({ databaseUrl: url.toString(), log: () => {} });
    const seeded = performance.now();
    await runSeed({ databaseUrl: url.toString(), log: () => {}, scale: n });
    console.log(`seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

    const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      await sql`vacuum analyze`;
      const userIds = (await sql<{ id: string }[]>`select id from users order by id limit 200`).map((r) => r.id);
      const projectIds = (await sql<{ id: string }[]>`select id from projects order by id limit 500`).map((r) => r.id);
      const sceneIds = (await sql<{ id: string }[]>`select id from scenes order by id limit 500`).map((r) => r.id);
      const common: [string, (i: number) => Promise<unknown>][] = [
        ['scenes of a project, ordered (100 rows)', (i) => sql`select id, position, title, status from scenes where project_id = ${pick(projectIds, i)} order by position, id`],
        ['projects of a user', (i) => sql`select id, title, updated_at from projects where user_id = ${pick(userIds, i)}`],
        ['characters of a project (no vectors)', (i) => sql`select id, name from characters where project_id = ${pick(projectIds, i)}`],
        ['one scene by id', (i) => sql`select id, title, prompt, parameters from scenes where id = ${pick(sceneIds, i)}`],
        ['ledger of a user, newest 20', (i) => sql`select id, delta, balance_after from credit_ledger where user_id = ${pick(userIds, i)} order by id desc limit 20`],
        ['tombstone check', (i) => sql`select 1 from tombstones where table_name = 'scenes' and row_id = ${pick(sceneIds, i)}`],
      ];
      console.log(`\ncommon queries — target p95 < ${COMMON_P95_TARGET_MS} ms`);
      for (const [label, query] of common) {
        let i = 0;
        const samples = await time(() => query(i++), RUNS);
        const p95 = percentile(samples, 95);
        console.log(`  ${label.padEnd(42)} p50 ${percentile(samples, 50).toFixed(2)} ms  p95 ${p95.toFixed(2)} ms  ${p95 < COMMON_P95_TARGET_MS ? 'OK' : 'MISSED'}`);
      }

      const anchors = await sql<{ v: string }[]>`select face_embedding::text as v from characters where face_embedding is not null order by id limit ${VECTOR_QUERIES}`;
      const queries = anchors.map((a, i) => perturb(JSON.parse(a.v) as number[], i));
      const exact: string[][] = [];
      const exactMs: number[] = [];
      await sql.begin(async (tx) => {
        await tx`set local enable_indexscan = off`;
        for (const q of queries) {
          const t = performance.now();
          // Different text from the HNSW query on purpose: postgres.js caches prepared statements by
          // text, and a generic plan made while enable_indexscan = off would stay a seq scan.
          exact.push((await tx<{ id: string }[]>`select id from characters /* exact */ order by face_embedding <=> ${q}::vector limit 10`).map((r) => r.id));
          exactMs.push(performance.now() - t);
        }
      });
      console.log(`\nface top-10 over ${n} × 512-d — target p95 < ${HNSW_P95_TARGET_MS} ms with recall@10 ≥ ${RECALL_TARGET}`);
      console.log(`  baseline exact scan (same run)           p50 ${percentile(exactMs, 50).toFixed(1)} ms  p95 ${percentile(exactMs, 95).toFixed(1)} ms  recall 1.000`);
      for (const efSearch of [40, 100, 200]) {
        const samples: number[] = [];
        let hits = 0;
        await sql.begin(async (tx) => {
          await tx.unsafe(`set local hnsw.ef_search = ${efSearch}`);
          for (const [i, q] of queries.entries()) {
            const t = performance.now();
            const ids = (await tx<{ id: string }[]>`select id from characters order by face_embedding <=> ${q}::vector limit 10`).map((r) => r.id);
            samples.push(performance.now() - t);
            const truth = new Set(exact[i]);
            hits += ids.filter((id) => truth.has(id)).length;
          }
        });
        const recall = hits / (queries.length * 10);
        const p95 = percentile(samples, 95);
        const ok = p95 < HNSW_P95_TARGET_MS && recall >= RECALL_TARGET;
        console.log(`  HNSW hnsw.ef_search=${String(efSearch).padEnd(4)}                   p50 ${percentile(samples, 50).toFixed(2)} ms  p95 ${p95.toFixed(2)} ms  recall ${recall.toFixed(3)}  ${ok ? 'OK' : 'MISSED'}`);
      }
    } finally {
      await sql.end();
    }
  } finally {
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
