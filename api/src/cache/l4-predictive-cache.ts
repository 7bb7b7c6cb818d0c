import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { parametersClose } from '../generation/canonical-request';
import { salientMatch } from '../generation/salient-tokens';
import type { CacheRequest, CachedVideo, GenerationParameters } from '../generation/types';
import { cosineSimilarity } from '../vector/similarity';
import type { L2Probe } from './l2-semantic-cache';
import type { PredictedPrompt } from './predict-next-prompts';

export const L4_TTL_MS = 24 * 3_600_000;

export interface L4PredictiveCacheOptions {
  redis: Redis;
  keyPrefix: string;
  now: () => number;
  ttlMs?: number;
  /** Same similarity scale and default as L2. */
  threshold?: number;
  parameterTolerance?: number;
  /** Minimum confidence to pre-generate. Default 0.4 (a fresh project's next beat scores 0.45). */
  confidenceBar?: number;
  /** Max USD spent on pre-generation per project per UTC day. Default 2.00. */
  dailyBudgetUsd?: number;
  newId?: () => string;
}

interface Prediction {
  id: string;
  tenantId: string;
  provider: string;
  brainId: string | null;
  modelVersion: string;
  prompt: string;
  salientTokens: string[];
  parameters: GenerationParameters;
  embedding: string;
  video: CachedVideo;
  createdAt: number;
  expiresAt: number;
}

export interface PregenerateOptions {
  /** The request just served: its scope and settings are reused for the predicted scenes. */
  request: CacheRequest;
  predictions: readonly PredictedPrompt[];
  probe: (prompt: string) => Promise<L2Probe>;
  fullCostUsd: number;
  generate: (prediction: PredictedPrompt) => Promise<CachedVideo>;
}

export interface L4Hit {
  video: CachedVideo;
  similarity: number;
  predictionId: string;
}

export interface L4PredictiveCache {
  lookup(req: CacheRequest, probe: L2Probe): Promise<L4Hit | null>;
  /** Pre-generates the confident predictions within budget; returns how many were generated. */
  pregenerate(options: PregenerateOptions): Promise<{ generated: number; spentUsd: number }>;
  /** Counts expired, never-used predictions of a project as waste and removes them. */
  sweep(projectId: string): Promise<{ wasted: number; wastedUsd: number }>;
  stats(projectId: string): Promise<{ made: number; used: number }>;
}

/**
 * L4: per-project predictions in one Redis hash (bounded by the budget, so a lookup reads them all and
 * compares in process). A prediction is used once; the pipeline then writes L1/L2 as for any result.
 */
export function createL4PredictiveCache(options: L4PredictiveCacheOptions): L4PredictiveCache {
  const { redis, keyPrefix, now } = options;
  const ttlMs = options.ttlMs ?? L4_TTL_MS;
  const threshold = options.threshold ?? 0.95;
  const tolerance = options.parameterTolerance ?? 0.1;
  const bar = options.confidenceBar ?? 0.4;
  const budget = options.dailyBudgetUsd ?? 2;
  const newId = options.newId ?? randomUUID;
  const predKey = (projectId: string): string => `${keyPrefix}l4:${projectId}`;
  const statsKey = (projectId: string): string => `${keyPrefix}l4stats:${projectId}`;
  const spendKey = (projectId: string, t: number): string => `${keyPrefix}l4spend:${projectId}:${Math.floor(t / 86_400_000)}`;

  async function sweep(projectId: string): Promise<{ wasted: number; wastedUsd: number }> {
    const all = await redis.hgetall(predKey(projectId));
    const t = now();
    const dead = Object.entries(all).filter(([, json]) => (JSON.parse(json) as Prediction).expiresAt <= t);
    if (dead.length === 0) return { wasted: 0, wastedUsd: 0 };
    await redis.hdel(predKey(projectId), ...dead.map(([id]) => id));
    const wastedUsd = dead.reduce((s, [, json]) => s + (JSON.parse(json) as Prediction).video.costUsd, 0);
    return { wasted: dead.length, wastedUsd };
  }

  return {
    sweep,
    async stats(projectId) {
      const s = await redis.hmget(statsKey(projectId), 'made', 'used');
      return { made: Number(s[0] ?? 0), used: Number(s[1] ?? 0) };
    },
    async lookup(req, probe) {
      const all = await redis.hgetall(predKey(req.projectId));
      const t = now();
      let best: { p: Prediction; similarity: number } | null = null;
      for (const json of Object.values(all)) {
        const p = JSON.parse(json) as Prediction;
        if (p.expiresAt <= t || p.tenantId !== req.tenantId || p.provider !== req.parameters.model_provider) continue;
        if (p.brainId !== req.brainId || p.modelVersion !== req.modelVersion) continue;
        if (!salientMatch(p.salientTokens, probe.salientTokens) || !parametersClose(p.parameters, req.parameters, tolerance)) continue;
        const similarity = cosineSimilarity(decode(p.embedding), probe.embedding);
        if (similarity >= threshold && (best === null || similarity > best.similarity)) best = { p, similarity };
      }
      if (best === null) return null;
      // HDEL returns 0 if a concurrent request already took it: then it is not ours to serve twice-counted.
      const removed = await redis.hdel(predKey(req.projectId), best.p.id);
      if (removed === 0) return null;
      await redis.hincrby(statsKey(req.projectId), 'used', 1);
      return { video: best.p.video, similarity: best.similarity, predictionId: best.p.id };
    },
    async pregenerate({ request, predictions, probe, fullCostUsd, generate }) {
      let generated = 0;
      let spentUsd = 0;
      for (const prediction of predictions) {
        if (prediction.confidence < bar) continue;
        const t = now();
        // Reserve the budget first (atomic), give it back if over: concurrent requests cannot overspend.
        const spent = Number(await redis.incrbyfloat(spendKey(request.projectId, t), fullCostUsd));
        if (spent > budget + 1e-9) {
          await redis.incrbyfloat(spendKey(request.projectId, t), -fullCostUsd);
          break;
        }
        await redis.pexpire(spendKey(request.projectId, t), 2 * 86_400_000);
        const p = await probe(prediction.prompt);
        const video = await generate(prediction);
        const entry: Prediction = {
          id: newId(),
          tenantId: request.tenantId,
          provider: request.parameters.model_provider,
          brainId: request.brainId,
          modelVersion: request.modelVersion,
          prompt: prediction.prompt,
          salientTokens: p.salientTokens,
          parameters: request.parameters,
          embedding: encode(p.embedding),
          video,
          createdAt: t,
          expiresAt: t + ttlMs,
        };
        await redis.multi().hset(predKey(request.projectId), entry.id, JSON.stringify(entry)).pexpire(predKey(request.projectId), ttlMs * 2).hincrby(statsKey(request.projectId), 'made', 1).exec();
        generated++;
        spentUsd += video.costUsd;
      }
      return { generated, spentUsd };
    },
  };
}

function encode(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}

function decode(s: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
