// Lookup latency at scale, each row printing its setup, target and measurement:
//  - L1 get (Redis),
//  - L2 query through PgVectorStore at `l2Entries` (one big scope → HNSW, scopes at the exact-path
//    limit, many small scopes; plus big-scope recall) — l2-latency.ts,
//  - character faces top-10 over `faces` 512-d embeddings with recall@10 — faces-latency.ts.
import { createL1ExactCache } from '../../src/cache/l1-exact-cache';
import type { BenchEnv } from './bench-env';
import { latencyRow } from './bench-vectors';
import { runFacesBench } from './faces-latency';
import { runL2Bench } from './l2-latency';
import { createRandom } from './random';

export interface LatencyOptions {
  env: BenchEnv;
  l2Entries: number;
  faces: number;
  log: (line: string) => void;
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
  log(latencyRow('L1 get (Redis, 20k keys, 5k lookups, 80 % hits)', { text: 'p99 < 2 ms', percentile: 99, ms: 2 }, l1Samples));

  if (l2Entries > 0) await runL2Bench({ env, entries: l2Entries, log, r });
  if (faces > 0) await runFacesBench({ env, faces, log, r });
}
