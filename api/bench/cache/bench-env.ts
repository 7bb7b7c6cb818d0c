import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { migrateUp } from '@storyforge/db';
import { startTestStack } from '@storyforge/db/stack';
import { Redis } from 'ioredis';
import postgres from 'postgres';

/** Printed with the latency rows: part of what was measured. */
export const BENCH_SHARED_BUFFERS = '1GB';

export interface BenchEnv {
  sql: postgres.Sql;
  redis: Redis;
  tmp: string;
  stop(): Promise<void>;
}

/** Throwaway Postgres + Redis (same launcher as the tests): the bench never touches real data. */
export async function startBenchEnv(log: (line: string) => void): Promise<BenchEnv> {
  // shared_buffers sized like a server that holds its vector indexes in memory (the 100k × 1536-d L2
  // HNSW index is ~700 MB); the test default of 128 MB makes every HNSW lookup read pages from the OS.
  const stack = await startTestStack(log, { postgresSettings: { shared_buffers: BENCH_SHARED_BUFFERS } });
  const admin = postgres(stack.postgres.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe('create database cache_bench');
  await admin.end({ timeout: 1 });
  const url = new URL(stack.postgres.adminUrl);
  url.pathname = '/cache_bench';
  await migrateUp({ databaseUrl: url.toString(), log: () => {} });
  const sql = postgres(url.toString(), { max: 4, onnotice: () => {} });
  const redis = new Redis(stack.redis.url);
  const tmp = await mkdtemp(join(tmpdir(), 'sf-cache-bench-'));
  return {
    sql,
    redis,
    tmp,
    async stop() {
      redis.disconnect();
      await sql.end({ timeout: 1 });
      await stack.stop();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, node ${process.version}`;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}
