// `npm run bench -w @storyforge/db` (tsx): wall time of `db:seed -- --scale N` on a throwaway cluster.
// Prints setup, target and measured. N from STORYFORGE_SEED_BENCH_N (default 100000).
import { cpus, totalmem } from 'node:os';
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
    console.log(`target: --scale 100000 < ${TARGET_MS / 1000} s`);
    console.log(`measured: ${(ms / 1000).toFixed(1)} s wall for ${rows} scene+character rows (${Math.round(rows / (ms / 1000))} rows/s); scale part ${((result.scale?.ms ?? 0) / 1000).toFixed(1)} s`);
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
