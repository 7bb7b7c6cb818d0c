// Why did the cache render what the oracle would have served? For every such request this replays the
// L2 decision against the trace's truth: it keeps a shadow of the entries the real L2 holds (every
// render and every L4 hit inserts one), finds the live entries that carry the SAME truth, and names the
// first check the best of them failed. Cheap (the hashing embedder is memoised and scopes are small),
// so the bench prints it with every replay; it tells an operator which knob would buy hits.
import { normalizePrompt, parametersClose } from '../../src/generation/canonical-request';
import { salientCompatible, salientTokens } from '../../src/generation/salient-tokens';
import type { Layer } from '../../src/generation/types';
import type { Embedder } from '../../src/vector/embedder';
import { lexicalTokens } from '../../src/vector/hashing-embedder';
import { cosineSimilarity } from '../../src/vector/similarity';
import { truthKey } from './oracle';
import type { TraceRequest } from './trace-types';

export const MISS_REASONS = ['cosine below threshold', 'salient mismatch', 'parameters outside tolerance', 'crowded out of topK', 'store recall', 'entry expired (TTL)', 'no entry of this truth'] as const;
export type MissReason = (typeof MISS_REASONS)[number];

export interface MissAnalysisOptions {
  trace: readonly TraceRequest[];
  /** The replay's layer per request id. */
  layers: ReadonlyMap<string, Layer>;
  /** Ids of the requests the oracle serves from cache. */
  oracleHits: ReadonlySet<string>;
  embedder: Embedder;
  threshold: number;
  tolerance: number;
  topK: number;
  ttlMs: number;
  modelVersion: string;
}

export interface MissAnalysis {
  /** Requests the oracle serves that the cache rendered (miss or L3). */
  missed: number;
  reasons: Record<MissReason, number>;
  /** Best same-truth cosine of the "cosine below threshold" misses, by 0.05-wide bins ("0.90–0.95"). */
  cosineBins: Map<string, number>;
  /** Lexical difference of those misses: `entry-only tokens → request-only tokens` ("" when only word order differs). */
  tokenDiffs: Map<string, number>;
  /** Salient difference of the salient rejections: `entry tokens → request tokens`. */
  salientDiffs: Map<string, number>;
  /** Misses by the trace's request kind (when the trace has truth). */
  kinds: Map<string, number>;
}

interface ShadowEntry {
  scope: string;
  truth: string;
  req: TraceRequest;
  embedding: Float32Array;
  salient: string[];
  expiresAt: number;
}

const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);

export async function analyseMisses(o: MissAnalysisOptions): Promise<MissAnalysis> {
  const out: MissAnalysis = {
    missed: 0,
    reasons: Object.fromEntries(MISS_REASONS.map((r) => [r, 0])) as Record<MissReason, number>,
    cosineBins: new Map(),
    tokenDiffs: new Map(),
    salientDiffs: new Map(),
    kinds: new Map(),
  };
  const byScope = new Map<string, ShadowEntry[]>();
  for (const req of o.trace) {
    const layer = o.layers.get(req.id);
    if (layer === undefined) continue;
    const scope = `${req.userId}|${req.parameters.model_provider}|${req.brainId ?? ''}`;
    const truth = truthKey(req, o.modelVersion);
    const rendered = layer === 'miss' || layer === 'L3' || layer === 'L4';
    const wanted = o.oracleHits.has(req.id) && (layer === 'miss' || layer === 'L3');
    if (!rendered && !wanted) continue;
    const [embedding] = await o.embedder.embed([req.prompt]);
    if (embedding === undefined) throw new Error('embedder returned no vector');
    const salient = salientTokens(req.prompt, { characterNames: req.characterNames ?? [] });
    const entries = byScope.get(scope) ?? [];
    if (wanted) {
      out.missed++;
      bump(out.kinds, req.truth?.kind ?? 'unknown');
      const reason = classify(o, req, truth, embedding, salient, entries, out);
      out.reasons[reason]++;
    }
    if (rendered) {
      entries.push({ scope, truth, req, embedding, salient, expiresAt: req.at + o.ttlMs });
      byScope.set(scope, entries);
    }
  }
  return out;
}

function classify(o: MissAnalysisOptions, req: TraceRequest, truth: string, embedding: Float32Array, salient: string[], entries: readonly ShadowEntry[], out: MissAnalysis): MissReason {
  const live = entries.filter((e) => e.expiresAt > req.at);
  const same = live.filter((e) => e.truth === truth);
  if (same.length === 0) return entries.some((e) => e.truth === truth) ? 'entry expired (TTL)' : 'no entry of this truth';
  const judged = same.map((e) => ({
    e,
    cos: cosineSimilarity(embedding, e.embedding),
    salientOk: salientCompatible({ salientTokens: e.salient, normalizedPrompt: normalizePrompt(e.req.prompt) }, { salientTokens: salient, normalizedPrompt: normalizePrompt(req.prompt) }),
    paramsOk: parametersClose(e.req.parameters, req.parameters, o.tolerance),
  }));
  // The candidate closest to being served: passing the checks first, then the highest cosine.
  judged.sort((a, b) => Number(b.salientOk && b.paramsOk) - Number(a.salientOk && a.paramsOk) || b.cos - a.cos);
  const best = judged[0];
  if (best === undefined) return 'no entry of this truth';
  if (best.cos < o.threshold) {
    const low = Math.floor(Math.max(0, best.cos) * 20) / 20;
    bump(out.cosineBins, `${low.toFixed(2)}–${(low + 0.05).toFixed(2)}`);
    const a = new Set(lexicalTokens(best.e.req.prompt));
    const b = new Set(lexicalTokens(req.prompt));
    const onlyA = [...a].filter((t) => !b.has(t)).sort();
    const onlyB = [...b].filter((t) => !a.has(t)).sort();
    bump(out.tokenDiffs, onlyA.length + onlyB.length === 0 ? '(word order / repeats only)' : `${onlyA.join(' ')} → ${onlyB.join(' ')}`);
    return 'cosine below threshold';
  }
  if (!best.salientOk) {
    const a = best.e.salient.filter((t) => !salient.includes(t));
    const b = salient.filter((t) => !best.e.salient.includes(t));
    bump(out.salientDiffs, `${a.join(' ') || '∅'} → ${b.join(' ') || '∅'}`);
    return 'salient mismatch';
  }
  if (!best.paramsOk) return 'parameters outside tolerance';
  const ahead = live.filter((e) => e !== best.e && cosineSimilarity(embedding, e.embedding) >= best.cos).length;
  return ahead >= o.topK ? 'crowded out of topK' : 'store recall';
}

/** The report lines (top `limit` of each breakdown). */
export function formatMissAnalysis(a: MissAnalysis, requests: number, limit = 8): string[] {
  const pct = (n: number, of: number): string => `${of === 0 ? '0.0' : ((100 * n) / of).toFixed(1)} %`;
  const top = (m: Map<string, number>): Array<[string, number]> => [...m].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).slice(0, limit);
  const lines = [`  requests the oracle serves but the cache rendered: ${a.missed} (${pct(a.missed, requests)} of all requests)`];
  for (const r of MISS_REASONS) if (a.reasons[r] > 0) lines.push(`    ${r.padEnd(30)} ${String(a.reasons[r]).padStart(6)}  ${pct(a.reasons[r], a.missed)}`);
  if (a.kinds.size > 0) lines.push(`  by request kind: ${top(a.kinds).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  if (a.cosineBins.size > 0) lines.push(`  best same-truth cosine of those below threshold: ${[...a.cosineBins].sort((x, y) => y[0].localeCompare(x[0])).map(([k, n]) => `${k}: ${n}`).join(', ')}`);
  if (a.tokenDiffs.size > 0) {
    lines.push('  most frequent lexical differences (entry → request):');
    for (const [k, n] of top(a.tokenDiffs)) lines.push(`    ${String(n).padStart(5)}  ${k}`);
  }
  if (a.salientDiffs.size > 0) {
    lines.push('  salient differences on a true match (entry → request):');
    for (const [k, n] of top(a.salientDiffs)) lines.push(`    ${String(n).padStart(5)}  ${k}`);
  }
  return lines;
}
