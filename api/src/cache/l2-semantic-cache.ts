import { randomUUID } from 'node:crypto';
import { normalizePrompt, parametersClose } from '../generation/canonical-request';
import { salientCompatible } from '../generation/salient-tokens';
import type { CacheRequest, CachedVideo } from '../generation/types';
import type { Embedder } from '../vector/embedder';
import type { SemanticScope, VectorStore } from '../vector/vector-store';

export const L2_TTL_MS = 90 * 86_400_000;
export const L2_DEFAULT_THRESHOLD = 0.95;
/** Max difference per −1..1 knob for "the same settings" (the slider's noise, not a new intent). */
export const L2_PARAMETER_TOLERANCE = 0.1;
/** Candidates past the threshold that the salient and parameter checks examine. */
export const L2_DEFAULT_TOP_K = 5;

export interface L2SemanticCacheOptions {
  store: VectorStore;
  embedder: Embedder;
  now: () => number;
  ttlMs?: number;
  /** Cosine similarity needed for a hit (one scale for every store). Default 0.95. */
  threshold?: number;
  parameterTolerance?: number;
  /** Candidates examined past the threshold for salient/parameter checks. Default L2_DEFAULT_TOP_K. */
  topK?: number;
  newId?: () => string;
}

export interface L2Probe {
  embedding: Float32Array;
  salientTokens: string[];
}

export interface L2Hit {
  video: CachedVideo;
  similarity: number;
  entryId: string;
  expiresAt: number;
}

export interface L2SemanticCache {
  readonly threshold: number;
  scope(req: CacheRequest): SemanticScope;
  lookup(req: CacheRequest, probe: L2Probe): Promise<L2Hit | null>;
  insert(req: CacheRequest, probe: L2Probe, video: CachedVideo): Promise<void>;
}

/**
 * L2: a hit needs cosine ≥ threshold AND the same tenant/provider/brain/embedder/model (store filter)
 * AND compatible salient tokens (equal, except a name only one project lists — see salientCompatible) AND
 * parameters within tolerance. The best candidate that passes all wins; the hit is counted on the entry.
 */
export function createL2SemanticCache(options: L2SemanticCacheOptions): L2SemanticCache {
  const { store, embedder, now } = options;
  const ttlMs = options.ttlMs ?? L2_TTL_MS;
  const threshold = options.threshold ?? L2_DEFAULT_THRESHOLD;
  const tolerance = options.parameterTolerance ?? L2_PARAMETER_TOLERANCE;
  const topK = options.topK ?? L2_DEFAULT_TOP_K;
  const newId = options.newId ?? randomUUID;
  const scope = (req: CacheRequest): SemanticScope => ({
    tenantId: req.tenantId,
    provider: req.parameters.model_provider,
    brainId: req.brainId,
    embedderId: embedder.id,
    embedderVersion: embedder.version,
    modelVersion: req.modelVersion,
  });
  return {
    threshold,
    scope,
    async lookup(req, probe) {
      const matches = await store.query({ ...scope(req), embedding: probe.embedding, topK, now: now(), minSimilarity: threshold });
      const asked = { salientTokens: probe.salientTokens, normalizedPrompt: normalizePrompt(req.prompt) };
      for (const m of matches) {
        if (!salientCompatible(m.entry, asked)) continue;
        if (!parametersClose(m.entry.parameters, req.parameters, tolerance)) continue;
        // Bookkeeping (hit_count, last_hit_at) is what an operator prunes and sizes the cache by.
        await store.recordHit(req.tenantId, m.entry.id, now());
        return { video: m.entry.result, similarity: m.similarity, entryId: m.entry.id, expiresAt: m.entry.expiresAt };
      }
      return null;
    },
    async insert(req, probe, video) {
      const t = now();
      await store.upsert([
        {
          id: newId(),
          ...scope(req),
          prompt: req.prompt,
          normalizedPrompt: normalizePrompt(req.prompt),
          salientTokens: probe.salientTokens,
          parameters: req.parameters,
          embedding: probe.embedding,
          result: video,
          createdAt: t,
          expiresAt: t + ttlMs,
        },
      ]);
    },
  };
}
