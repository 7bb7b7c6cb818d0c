import { createHash } from 'node:crypto';
import { DEFAULT_DURATION_SECONDS, NUMERIC_PARAMETERS, type CacheRequest, type GenerationParameters } from './types';

/**
 * Quantisation step for the −1..1 parameters in the L1 key. 0.25 gives 9 levels per knob: a slider
 * nudged by less than ±0.125 lands on the same key, a deliberate change does not. L2 compares
 * parameters with a tolerance instead (see parametersClose), so a value that straddles a step still hits.
 */
export const PARAMETER_STEP = 0.25;

/** Lower-case, NFKC, punctuation → space, one space between words. Keeps every word (L1 is exact). */
export function normalizePrompt(prompt: string): string {
  return prompt
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function quantize(value: number, step = PARAMETER_STEP): number {
  const clamped = Math.max(-1, Math.min(1, value));
  const q = Math.round(clamped / step) * step;
  // -0 and 0 must hash the same.
  return q === 0 ? 0 : Number(q.toFixed(4));
}

export function quantizeParameters(p: GenerationParameters): Record<string, number | string> {
  const out: Record<string, number | string> = { model_provider: p.model_provider, duration_seconds: p.duration_seconds ?? DEFAULT_DURATION_SECONDS };
  for (const name of NUMERIC_PARAMETERS) out[name] = quantize(p[name]);
  return out;
}

/** True when every numeric knob differs by at most `tolerance` (L2's notion of "the same settings"). */
export function parametersClose(a: GenerationParameters, b: GenerationParameters, tolerance: number): boolean {
  if (a.model_provider !== b.model_provider || (a.duration_seconds ?? DEFAULT_DURATION_SECONDS) !== (b.duration_seconds ?? DEFAULT_DURATION_SECONDS)) return false;
  return NUMERIC_PARAMETERS.every((name) => Math.abs(a[name] - b[name]) <= tolerance + 1e-9);
}

/** The canonical request as a stable JSON string: keys in a fixed order. */
export function canonicalRequest(req: CacheRequest): string {
  const q = quantizeParameters(req.parameters);
  return JSON.stringify([
    'v1',
    req.tenantId,
    normalizePrompt(req.prompt),
    q.model_provider,
    q.duration_seconds,
    ...NUMERIC_PARAMETERS.map((n) => q[n]),
    req.brainId ?? '',
    req.modelVersion,
  ]);
}

/**
 * L1 key: sha256 of the canonical request. The tenant is part of it: a video is never served across
 * tenants, even for an identical prompt (privacy beats hit rate).
 */
export function l1Key(req: CacheRequest): string {
  return createHash('sha256').update(canonicalRequest(req)).digest('hex');
}
