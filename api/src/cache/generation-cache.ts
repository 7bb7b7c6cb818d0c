import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { l1Key } from '../generation/canonical-request';
import { salientTokens } from '../generation/salient-tokens';
import { ApiError } from '../errors/api-error';
import type { CacheRequest, CachedVideo, Layer } from '../generation/types';
import type { VideoProvider } from '../generation/video-provider';
import { registerMediaAsset } from '../media/media-assets-repo';
import { mediaUrl, type MediaStore } from '../media/media-store';
import type { Embedder } from '../vector/embedder';
import { EmbedderError } from '../vector/embedder-error';
import { observeLookup, type CacheMetrics } from './cache-metrics';
import { describeComponents } from './component-descriptors';
import type { L1ExactCache } from './l1-exact-cache';
import type { L2Probe, L2SemanticCache } from './l2-semantic-cache';
import { simulatedComponentRender, type L3ComponentCache } from './l3-component-cache';
import type { L4PredictiveCache } from './l4-predictive-cache';
import { predictNextPrompts, type BeatLike, type ProjectContext } from './predict-next-prompts';

/** What an L2 hit costs (embedding + vector search), per DESIGN.md. L1 costs nothing. */
export const L2_HIT_COST_USD = 0.01;

export interface GenerationCacheDeps {
  l1: L1ExactCache;
  l2: L2SemanticCache;
  l3?: L3ComponentCache;
  l4?: L4PredictiveCache;
  embedder: Embedder;
  /** Provider by `model_provider`; unknown → the caller validated it already, so this throws. */
  provider: (id: string) => VideoProvider;
  media: MediaStore;
  /** When given, generated media get `media_assets` rows (content-addressed, ref-counted). */
  sql?: postgres.Sql;
  metrics?: CacheMetrics;
  /** Wall clock for latency measurement only (decisions use the cache layers' injected `now`). */
  timer?: () => number;
  newId?: () => string;
  /**
   * Runs L4 pre-generation off the request path (the HTTP route passes a tracker; the bench leaves it
   * out so a replay is deterministic and pre-generation happens inline).
   */
  schedule?: (task: () => Promise<void>) => void;
}

export interface ServeOptions {
  requestId: string;
  regenerate?: boolean;
  /** Enables L4 pre-generation after this request: the project's beats and where this scene sits. */
  predict?: { beats: readonly BeatLike[]; beatIndex: number; context: ProjectContext };
  /**
   * Reserves (holds) `costUsd` for an answer from `layer` before a paid answer is taken (L4: the matching
   * prediction's price, before it is claimed) or rendered (L3/miss: the provider's quote). L1/L2 hits are
   * free and never ask. A later call replaces the earlier hold of this request (an L4 hold whose prediction
   * a concurrent request took becomes the render's). false → L4 leaves the prediction for later; a render
   * throws 402 `insufficient_credits` having rendered and cached nothing. The caller settles the hold
   * against the result and releases it if `serve` throws (the HTTP route: credit-reservation.ts).
   */
  reserve?: (costUsd: number, layer: Layer) => Promise<boolean>;
}

export interface ServeResult {
  layer: Layer;
  video: CachedVideo;
  /** Inference cost of answering this request (USD); L4 pre-generation is accounted when it happens. */
  costUsd: number;
  /** What a full render would have cost. */
  fullCostUsd: number;
  similarity?: number;
  /** Share of the render saved by reused L3 components. */
  componentReuse: number;
  /** Cache lookup time (measured) + provider latency (reported). */
  latencyMs: number;
  lookupMs: number;
  pregenerated: number;
  pregenerationCostUsd: number;
}

/**
 * The layered cache in one place: L1 exact → L2 semantic → L4 predicted → L3 partial render → full
 * render. `regenerate` skips every lookup (but the new video is remembered). A hit never writes a new
 * video; an L2/L4 hit is copied into L1 so the exact repeat is answered by the cheapest layer.
 */
export function createGenerationCache(deps: GenerationCacheDeps) {
  const timer = deps.timer ?? (() => performance.now());
  const newId = deps.newId ?? randomUUID;

  async function probeFor(req: CacheRequest, prompt = req.prompt): Promise<L2Probe> {
    const [embedding] = await deps.embedder.embed([prompt]).catch((error: unknown) => {
      if (!(error instanceof EmbedderError)) throw error;
      throw new ApiError('upstream_failed', `The embedder ${deps.embedder.id} failed: ${error.message}`, { service: 'embedder', embedder: deps.embedder.id, reason: error.code });
    });
    if (embedding === undefined) throw new Error('embedder returned no vector');
    return { embedding, salientTokens: salientTokens(prompt, { characterNames: req.characterNames ?? [] }) };
  }

  async function store(bytes: Uint8Array, contentType: string): Promise<{ url: string; assetId?: string }> {
    const stored = await deps.media.put(bytes, contentType);
    const url = mediaUrl(stored.sha256, contentType);
    if (deps.sql === undefined) return { url };
    const asset = await registerMediaAsset({ sql: deps.sql, media: stored, newId: newId() });
    return { url, assetId: asset.id };
  }

  async function render(req: CacheRequest, prompt: string, reuse: number, sourceRequestId: string): Promise<{ video: CachedVideo; latencyMs: number }> {
    const provider = deps.provider(req.parameters.model_provider);
    // A provider's failure is the provider's, not ours: 502 with its message (credits are refunded by the caller).
    const out = await provider.generate({ prompt, parameters: req.parameters, brainId: req.brainId, componentReuse: reuse }).catch((error: unknown) => {
      throw new ApiError('upstream_failed', `The video provider ${provider.id} failed: ${error instanceof Error ? error.message : String(error)}`, { service: 'video_provider', provider: provider.id });
    });
    const video = await store(out.video, out.videoContentType);
    const thumb = await store(out.thumbnail, out.thumbnailContentType);
    return {
      video: {
        videoUrl: video.url,
        thumbnailUrl: thumb.url,
        ...(video.assetId === undefined ? {} : { mediaAssetId: video.assetId }),
        costUsd: out.costUsd,
        generationMs: out.latencyMs,
        sourceRequestId,
      },
      latencyMs: out.latencyMs,
    };
  }

  async function serve(req: CacheRequest, options: ServeOptions): Promise<ServeResult> {
    const started = timer();
    const fullCostUsd = deps.provider(req.parameters.model_provider).fullCostUsd(req.parameters);
    const key = l1Key(req);
    const finish = (layer: Layer, video: CachedVideo, costUsd: number, extra: Partial<ServeResult> = {}): ServeResult => {
      deps.metrics?.decisions.inc({ layer });
      deps.metrics?.costSpentUsd.inc({ layer }, costUsd);
      if (layer !== 'miss') deps.metrics?.costSavedUsd.inc({ layer }, Math.max(0, fullCostUsd - costUsd));
      const lookupMs = timer() - started;
      return { layer, video, costUsd, fullCostUsd, componentReuse: 0, latencyMs: lookupMs, lookupMs, pregenerated: 0, pregenerationCostUsd: 0, ...extra };
    };

    let result: ServeResult | null = null;
    let probe: L2Probe | null = null;
    if (options.regenerate !== true) {
      let t = timer();
      const l1 = await deps.l1.get(key);
      observeLookup(deps.metrics, 'L1', (timer() - t) / 1000);
      if (l1 !== null) result = finish('L1', l1.video, 0);

      if (result === null) {
        probe = await probeFor(req);
        t = timer();
        const l2 = await deps.l2.lookup(req, probe);
        observeLookup(deps.metrics, 'L2', (timer() - t) / 1000);
        if (l2 !== null) {
          await deps.l1.set(key, l2.video, l2.expiresAt);
          result = finish('L2', l2.video, L2_HIT_COST_USD, { similarity: l2.similarity });
        }
      }
      if (result === null && deps.l4 !== undefined && probe !== null) {
        const reserve = options.reserve;
        t = timer();
        const l4 = await deps.l4.lookup(req, probe, reserve === undefined ? undefined : (usd) => reserve(usd, 'L4'));
        observeLookup(deps.metrics, 'L4', (timer() - t) / 1000);
        if (l4 !== null) {
          deps.metrics?.pregenerations.inc({ outcome: 'used' });
          await deps.l2.insert(req, probe, l4.video);
          await deps.l1.set(key, l4.video);
          // Its cost was paid (and counted) when it was pre-generated.
          result = finish('L4', l4.video, 0, { similarity: l4.similarity });
        }
      }
    }

    if (result === null) {
      probe ??= await probeFor(req);
      const components = describeComponents({ prompt: req.prompt, salientTokens: probe.salientTokens, provider: req.parameters.model_provider, brainId: req.brainId });
      let reuse = 0;
      let missing = components;
      if (deps.l3 !== undefined && options.regenerate !== true) {
        const t = timer();
        const l3 = await deps.l3.lookup(req.tenantId, components);
        observeLookup(deps.metrics, 'L3', (timer() - t) / 1000);
        reuse = l3.reuse;
        missing = l3.missing;
      }
      const layer: Layer = reuse > 0 ? 'L3' : 'miss';
      const quoteUsd = deps.provider(req.parameters.model_provider).quoteUsd(req.parameters, reuse);
      if (options.reserve !== undefined && !(await options.reserve(quoteUsd, layer))) {
        throw new ApiError('insufficient_credits', `This request needs a ${layer === 'L3' ? 'partial' : 'full'} render costing $${quoteUsd.toFixed(2)}`, { costUsd: quoteUsd, layer });
      }
      const { video, latencyMs } = await render(req, req.prompt, reuse, options.requestId);
      await deps.l2.insert(req, probe, video);
      await deps.l1.set(key, video);
      if (deps.l3 !== undefined && missing.length > 0) await deps.l3.remember(req.tenantId, missing, simulatedComponentRender);
      result = finish(layer, video, video.costUsd, { componentReuse: reuse });
      result.latencyMs += latencyMs;
    }

    const l4 = deps.l4;
    if (l4 !== undefined && options.predict !== undefined) {
      const predict = options.predict;
      const pregenerate = async (): Promise<{ generated: number; spentUsd: number }> => {
        const stats = await l4.stats(req.projectId);
        const predictions = predictNextPrompts({ ...predict, used: stats.used, made: stats.made });
        const pre = await l4.pregenerate({
          request: req,
          predictions,
          probe: (prompt) => probeFor(req, prompt),
          fullCostUsd,
          // The source id names the triggering request and beat, so a known-truth replay can judge the hit.
          generate: async (p) => (await render(req, p.prompt, 0, `pregen:${options.requestId}:${p.beatKey}`)).video,
        });
        if (pre.generated > 0) {
          deps.metrics?.pregenerations.inc({ outcome: 'made' }, pre.generated);
          deps.metrics?.costSpentUsd.inc({ layer: 'L4' }, pre.spentUsd);
        }
        return pre;
      };
      if (deps.schedule !== undefined) {
        deps.schedule(async () => void (await pregenerate()));
      } else {
        const pre = await pregenerate();
        result.pregenerated = pre.generated;
        result.pregenerationCostUsd = pre.spentUsd;
      }
    }
    if (l4 !== undefined) {
      const waste = await l4.sweep(req.projectId);
      if (waste.wasted > 0) {
        deps.metrics?.pregenerations.inc({ outcome: 'wasted' }, waste.wasted);
        deps.metrics?.pregenerationWasteUsd.inc(waste.wastedUsd);
      }
    }
    return result;
  }

  return { serve, probeFor };
}

export type GenerationCache = ReturnType<typeof createGenerationCache>;
