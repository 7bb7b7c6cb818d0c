import type { GenerationCache } from '../../src/cache/generation-cache';
import { LAYERS, type CacheRequest, type Layer } from '../../src/generation/types';
import { truthKey } from './oracle';
import { BENCH_TEMPLATES } from './templates';
import type { TraceDecision, TraceRequest } from './trace-types';

export interface ReplaySummary {
  requests: number;
  layers: Record<Layer, number>;
  falseHits: Record<Layer, number>;
  /** null when the trace has no truth. */
  knownTruth: boolean;
  servedCostUsd: number;
  pregenerationCostUsd: number;
  pregenerated: number;
  noCacheCostUsd: number;
  lookupMs: number[];
}

export interface ReplayOptions {
  trace: readonly TraceRequest[];
  cache: GenerationCache;
  modelVersion: string;
  setClock: (t: number) => void;
  onDecision?: (d: TraceDecision) => void;
}

/** Replays a trace through the real cache on an injected clock; judges every hit against the truth. */
export async function replayTrace({ trace, cache, modelVersion, setClock, onDecision }: ReplayOptions): Promise<ReplaySummary> {
  const zero = (): Record<Layer, number> => Object.fromEntries(LAYERS.map((l) => [l, 0])) as Record<Layer, number>;
  const summary: ReplaySummary = {
    requests: 0, layers: zero(), falseHits: zero(), knownTruth: trace.every((r) => r.truth !== undefined),
    servedCostUsd: 0, pregenerationCostUsd: 0, pregenerated: 0, noCacheCostUsd: 0, lookupMs: [],
  };
  const truthOf = new Map<string, string>();
  const byId = new Map<string, TraceRequest>();
  for (const req of trace) {
    setClock(req.at);
    const key = truthKey(req, modelVersion);
    truthOf.set(req.id, key);
    byId.set(req.id, req);
    const cacheRequest: CacheRequest = {
      tenantId: req.userId,
      projectId: req.projectId,
      prompt: req.prompt,
      parameters: req.parameters,
      brainId: req.brainId,
      modelVersion,
      characterNames: req.characterNames ?? [],
    };
    const beats = req.template === undefined ? undefined : BENCH_TEMPLATES[req.template.id];
    const result = await cache.serve(cacheRequest, {
      requestId: req.id,
      ...(req.regenerate === true ? { regenerate: true } : {}),
      ...(beats === undefined || req.template === undefined
        ? {}
        : { predict: { beats, beatIndex: req.template.beatIndex, context: { setting: req.template.setting, characters: req.characterNames ?? [] } } }),
    });
    const hit = result.layer === 'L1' || result.layer === 'L2' || result.layer === 'L4';
    const servedFrom = hit ? result.video.sourceRequestId : null;
    let correct: boolean | undefined;
    if (hit && servedFrom !== null && summary.knownTruth) {
      correct = sourceTruth(servedFrom, truthOf, byId) === key;
      if (!correct) summary.falseHits[result.layer]++;
    }
    summary.requests++;
    summary.layers[result.layer]++;
    summary.servedCostUsd += result.costUsd;
    summary.pregenerationCostUsd += result.pregenerationCostUsd;
    summary.pregenerated += result.pregenerated;
    summary.noCacheCostUsd += result.fullCostUsd;
    summary.lookupMs.push(result.lookupMs);
    onDecision?.({
      id: req.id,
      layer: result.layer,
      servedFrom,
      ...(result.similarity === undefined ? {} : { similarity: Math.round(result.similarity * 10_000) / 10_000 }),
      costUsd: result.costUsd,
      ...(correct === undefined ? {} : { correct }),
    });
  }
  return summary;
}

/** Truth of a served video: its source request's, or for an L4 pre-generation `pregen:<trigger>:<beat>`. */
function sourceTruth(source: string, truthOf: Map<string, string>, byId: Map<string, TraceRequest>): string | undefined {
  if (!source.startsWith('pregen:')) return truthOf.get(source);
  const [, triggerId = '', beatKey = ''] = source.split(':');
  const trigger = byId.get(triggerId);
  if (trigger === undefined) return undefined;
  return `${trigger.userId}|${trigger.projectId}|beat:${beatKey}|${trigger.parameters.model_provider}|${trigger.brainId}|proj:${trigger.projectId}`;
}
