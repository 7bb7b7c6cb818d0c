// `npm run bench -w @storyforge/db` (tsx): wall time of `db:seed -- --scale N` on a throwaway cluster.
// Prints setup, target and measured. N from STORYFORGE_SEED_BENCH_N (default 100000).
import { cpus, loadavg, totalmem } from 'node:os';
import postgres from 'postgres';
import { migrateUp } from '../migrate/index';
import { startTestStack } from '../stack/test-stack';
import { runSeed } from './run-seed';

const TARGET_MS = 60_000;

async function main(): Promise<void> {
  const n = Number(process.env.STORYFORGE_SEED_BENCH_N ?? 100_000);
  const log = (line: string) => console.log(`  ${line}`);
  console.log(`seed bench: --scale ${n} (${n} scenes, ${n} characters with 512-d embeddings + HNSW index)`);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB; Postgres 15 throwaway cluster (fsync off)`);
  const stack = await startTestStack();
  try {
    const admin = postgres(stack.postgres.adminUrl, { max: 1, onnotice: () => {} });
    await admin`create database seed_bench`;
    await admin.end();
    const url = new URL(stack.postgres.adminUrl);
    url.pathname = '/seed_bench';
    await migrateUp({ databaseUrl: url.toString(), log: () => {} });
    const started = performance.now();
    const result = await runSeed({ databaseUrl: url.toString(), log, scale: n });
    const ms = performance.now() - started;
    const rows = n * 2;
    const p = result.scale?.phases ?? { scenesMs: 0, charactersMs: 0, indexMs: 0 };
    const s = (x: number) => `${(x / 1000).toFixed(1)} s`;
    console.log(`target: --scale 100000 < ${TARGET_MS / 1000} s`);
    console.log(`measured: ${s(ms)} wall for ${rows} scene+character rows (${Math.round(rows / (ms / 1000))} rows/s)`);
    console.log(`  phases: COPY ${n} scenes ${s(p.scenesMs)} (${Math.round(n / (p.scenesMs / 1000 || 1))} rows/s), COPY ${n} characters ${s(p.charactersMs)} (${Math.round(n / (p.charactersMs / 1000 || 1))} rows/s), HNSW build ${s(p.indexMs)}`);
    console.log(`  load average during the run (shared machine): ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
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
