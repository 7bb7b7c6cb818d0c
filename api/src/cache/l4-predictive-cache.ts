import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { parametersClose } from '../generation/canonical-request';
import { salientMatch } from '../generation/salient-tokens';
import type { CacheRequest, CachedVideo, GenerationParameters } from '../generation/types';
import { cosineSimilarity } from '../vector/similarity';
import type { L2Probe } from './l2-semantic-cache';
import { createL4Ledger, l4Keys, MICRO_USD, toMicroUsd } from './l4-ledger';
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

/** One pre-generated video as stored in Redis (JSON). `expiresAt`/`costMicroUsd` are read by the Lua scripts. */
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
  costMicroUsd: number;
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

/** A project's pre-generation accounting, read from Redis at the cache's `now`. */
export interface L4Stats {
  made: number;
  used: number;
  /** Made, not used, not yet expired: could still be a hit. */
  pending: number;
  /** Made and expired without being used (made − used − pending). */
  wasted: number;
  madeUsd: number;
  usedUsd: number;
  wastedUsd: number;
  /** Reserved from today's (UTC day of `now`) pre-generation budget. */
  spentTodayUsd: number;
}

export interface L4PredictiveCache {
  /**
   * The best matching prediction, claimed (used once). `reserve`, when given, is asked with a candidate's
   * price before it is claimed; false → null with every prediction left for later.
   */
  lookup(req: CacheRequest, probe: L2Probe, reserve?: (costUsd: number) => Promise<boolean>): Promise<L4Hit | null>;
  /** Pre-generates the confident predictions within budget; returns how many were generated. */
  pregenerate(options: PregenerateOptions): Promise<{ generated: number; spentUsd: number }>;
  /**
   * Removes a project's expired predictions and returns what became waste since the last sweep (any
   * process's), for the metrics. The totals live in Redis: see `stats`.
   */
  sweep(projectId: string): Promise<{ wasted: number; wastedUsd: number }>;
  stats(projectId: string): Promise<L4Stats>;
}

/**
 * L4: per-project predictions in one Redis hash (bounded by the budget, so a lookup reads them all and
 * compares in process) plus a Redis ledger (l4-ledger.ts); the instance holds no state, so a restart or
 * another server process serves the same predictions and keeps the same books. A prediction is used
 * once; the pipeline then writes L1/L2 as for any result.
 */
export function createL4PredictiveCache(options: L4PredictiveCacheOptions): L4PredictiveCache {
  const { redis, keyPrefix, now } = options;
  const ttlMs = options.ttlMs ?? L4_TTL_MS;
  const threshold = options.threshold ?? 0.95;
  const tolerance = options.parameterTolerance ?? 0.1;
  const bar = options.confidenceBar ?? 0.4;
  const budgetMicroUsd = toMicroUsd(options.dailyBudgetUsd ?? 2);
  const newId = options.newId ?? randomUUID;
  const ledger = createL4Ledger(redis);

  return {
    async sweep(projectId) {
      const w = await ledger.sweep(l4Keys(keyPrefix, projectId), now());
      return { wasted: w.wasted, wastedUsd: w.wastedMicroUsd / MICRO_USD };
    },
    async stats(projectId) {
      const keys = l4Keys(keyPrefix, projectId);
      const t = now();
      const [counts, stored, spent] = await Promise.all([ledger.counts(keys), ledger.predictions(keys), ledger.spent(keys, t)]);
      const live = stored.map((json) => JSON.parse(json) as Prediction).filter((p) => p.expiresAt > t);
      const pendingMicroUsd = live.reduce((s, p) => s + p.costMicroUsd, 0);
      return {
        made: counts.made,
        used: counts.used,
        pending: live.length,
        wasted: counts.made - counts.used - live.length,
        madeUsd: counts.madeMicroUsd / MICRO_USD,
        usedUsd: counts.usedMicroUsd / MICRO_USD,
        wastedUsd: (counts.madeMicroUsd - counts.usedMicroUsd - pendingMicroUsd) / MICRO_USD,
        spentTodayUsd: spent / MICRO_USD,
      };
    },
    async lookup(req, probe, reserve) {
      const keys = l4Keys(keyPrefix, req.projectId);
      const t = now();
      const candidates: Array<{ p: Prediction; similarity: number }> = [];
      for (const json of await ledger.predictions(keys)) {
        const p = JSON.parse(json) as Prediction;
        if (p.expiresAt <= t || p.tenantId !== req.tenantId || p.provider !== req.parameters.model_provider) continue;
        if (p.brainId !== req.brainId || p.modelVersion !== req.modelVersion) continue;
        if (!salientMatch(p.salientTokens, probe.salientTokens) || !parametersClose(p.parameters, req.parameters, tolerance)) continue;
        const similarity = cosineSimilarity(decode(p.embedding), probe.embedding);
        if (similarity >= threshold) candidates.push({ p, similarity });
      }
      // Best first; if a concurrent request took one, the next best may still serve this one.
      for (const c of candidates.sort((a, b) => b.similarity - a.similarity)) {
        if (reserve !== undefined && !(await reserve(c.p.video.costUsd))) return null;
        if (await ledger.take(keys, c.p.id)) return { video: c.p.video, similarity: c.similarity, predictionId: c.p.id };
      }
      return null;
    },
    async pregenerate({ request, predictions, probe, fullCostUsd, generate }) {
      const keys = l4Keys(keyPrefix, request.projectId);
      const reserveMicroUsd = toMicroUsd(fullCostUsd);
      let generated = 0;
      let spentUsd = 0;
      for (const prediction of predictions) {
        if (prediction.confidence < bar) continue;
        const t = now();
        // Reserve first (atomic check-and-add in Redis): concurrent requests and processes cannot overspend.
        if (!(await ledger.reserve(keys, t, reserveMicroUsd, budgetMicroUsd))) break;
        let entry: Prediction;
        try {
          const p = await probe(prediction.prompt);
          const video = await generate(prediction);
          entry = {
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
            costMicroUsd: toMicroUsd(video.costUsd),
            createdAt: t,
            expiresAt: t + ttlMs,
          };
        } catch (error) {
          // Nothing was made: give the reservation back so a provider failure does not eat the budget.
          await ledger.refund(keys, t, reserveMicroUsd);
          throw error;
        }
        // The hash outlives its newest prediction by a day so a sweep can still see it expire; if no
        // sweep comes, Redis drops it and the ledger still counts those predictions as waste.
        await ledger.record(keys, entry.id, JSON.stringify(entry), entry.costMicroUsd, ttlMs * 2);
        generated++;
        spentUsd += entry.video.costUsd;
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
