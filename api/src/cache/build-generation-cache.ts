import type { Redis } from 'ioredis';
import type postgres from 'postgres';
import type { Registry } from 'prom-client';
import type { VideoProvider } from '../generation/video-provider';
import type { MediaStore } from '../media/media-store';
import type { Embedder } from '../vector/embedder';
import { createHashingEmbedder } from '../vector/hashing-embedder';
import { createPgVectorStore } from '../vector/pgvector-store';
import type { VectorStore } from '../vector/vector-store';
import { createCacheMetrics } from './cache-metrics';
import { createGenerationCache, type GenerationCache } from './generation-cache';
import { createL1ExactCache } from './l1-exact-cache';
import { createL2SemanticCache } from './l2-semantic-cache';
import { createL3ComponentCache } from './l3-component-cache';
import { createL4PredictiveCache } from './l4-predictive-cache';

export interface BuildGenerationCacheOptions {
  sql: postgres.Sql;
  redis: Redis;
  media: MediaStore;
  providers: ReadonlyMap<string, VideoProvider>;
  now: () => number;
  keyPrefix?: string;
  registry?: Registry;
  vectorStore?: VectorStore;
  embedder?: Embedder;
  l2Threshold?: number;
  /** Disable layers (the benchmark measures them one by one). Default all on. */
  layers?: { l3?: boolean; l4?: boolean };
  l4?: { confidenceBar?: number; dailyBudgetUsd?: number };
  schedule?: (task: () => Promise<void>) => void;
}

/** Wires L1–L4 with the defaults (pgvector, hashing embedder) — what the routes and the bench use. */
export function buildGenerationCache(options: BuildGenerationCacheOptions): GenerationCache {
  const { sql, redis, now } = options;
  const keyPrefix = options.keyPrefix ?? 'sf:';
  const embedder = options.embedder ?? createHashingEmbedder();
  const store = options.vectorStore ?? createPgVectorStore({ sql });
  const threshold = options.l2Threshold;
  return createGenerationCache({
    l1: createL1ExactCache({ redis, keyPrefix, now }),
    l2: createL2SemanticCache({ store, embedder, now, ...(threshold === undefined ? {} : { threshold }) }),
    ...(options.layers?.l3 === false ? {} : { l3: createL3ComponentCache({ sql, media: options.media }) }),
    ...(options.layers?.l4 === false
      ? {}
      : { l4: createL4PredictiveCache({ redis, keyPrefix, now, ...(threshold === undefined ? {} : { threshold }), ...options.l4 }) }),
    embedder,
    provider: (id) => {
      const p = options.providers.get(id);
      if (p === undefined) throw new Error(`no provider configured for ${id}`);
      return p;
    },
    media: options.media,
    sql,
    ...(options.registry === undefined ? {} : { metrics: createCacheMetrics(options.registry) }),
    ...(options.schedule === undefined ? {} : { schedule: options.schedule }),
  });
}
