import { l1Key } from '../../src/generation/canonical-request';
import type { TraceRequest } from './trace-types';

export interface OracleResult {
  hits: number;
  requests: number;
  hitRate: number;
  /** Full renders the perfect cache still pays for. */
  renders: number;
  /** Ids of the requests it serves from cache. */
  hitIds: Set<string>;
}

/** What makes two requests "the same video": the generator's truth, or (no truth) the exact L1 key. */
export function truthKey(req: TraceRequest, modelVersion: string): string {
  return req.truth?.videoKey ?? `exact:${l1Key({ tenantId: req.userId, projectId: req.projectId, prompt: req.prompt, parameters: req.parameters, brainId: req.brainId, modelVersion })}`;
}

/**
 * The best any cache with the same TTL could do on this trace: it knows the truth, so it serves every
 * request whose video was rendered within `ttlMs` before (regenerate always renders). Predictive
 * pre-generation (L4) is outside its reach — it can only serve what was asked before.
 */
export function runOracle(trace: readonly TraceRequest[], options: { ttlMs: number; modelVersion: string }): OracleResult {
  const renderedAt = new Map<string, number>();
  const hitIds = new Set<string>();
  for (const req of trace) {
    const key = truthKey(req, options.modelVersion);
    const last = renderedAt.get(key);
    if (req.regenerate !== true && last !== undefined && req.at - last < options.ttlMs) {
      hitIds.add(req.id);
      continue;
    }
    renderedAt.set(key, req.at);
  }
  const hits = hitIds.size;
  return { hits, requests: trace.length, hitRate: trace.length === 0 ? 0 : hits / trace.length, renders: trace.length - hits, hitIds };
}
