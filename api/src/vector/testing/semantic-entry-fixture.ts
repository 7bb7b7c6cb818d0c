import { randomUUID } from 'node:crypto';
import type { SemanticEntry } from '../vector-store';

export const DIM = 1536;

/** Unit vector with cosine `cos` to axis 0 (its remainder on `axis`), so expected similarities are exact. */
export function vectorAt(cos: number, axis = 1): Float32Array {
  const v = new Float32Array(DIM);
  v[0] = cos;
  v[axis] = Math.sqrt(Math.max(0, 1 - cos * cos));
  return v;
}

export function makeEntry(overrides: Partial<SemanticEntry> & { tenantId: string }): SemanticEntry {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    provider: 'simulated',
    brainId: null,
    embedderId: 'test',
    embedderVersion: '1',
    modelVersion: 'm1',
    prompt: 'a red car at night',
    normalizedPrompt: 'a red car at night',
    salientTokens: ['color:red'],
    parameters: { lighting: 0, camera_angle: 0.5, mood: -0.25, pacing: 0, model_provider: 'simulated' },
    embedding: vectorAt(1),
    result: { videoUrl: `/media/${id}.mp4`, thumbnailUrl: `/media/${id}.jpg`, sourceRequestId: `r-${id}`, costUsd: 0.5, generationMs: 1200 },
    createdAt: 1_700_000_000_000,
    expiresAt: 1_700_000_000_000 + 90 * 86_400_000,
    ...overrides,
  };
}
