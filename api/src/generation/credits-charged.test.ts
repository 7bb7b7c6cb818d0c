import { describe, expect, it } from 'vitest';
import type { CachedVideo } from './types';
import { creditsCharged, creditsFor } from './credits-charged';

const video: CachedVideo = { videoUrl: '/v/a.mp4', thumbnailUrl: '/v/a.jpg', costUsd: 0.5, generationMs: 1000, sourceRequestId: 'r1' };

describe('credits', () => {
  it.each([
    [0.5, 50],
    [0.2, 20],
    [0.1501, 16],
    [0.01, 1],
    [0, 0],
  ])('$%d → %d credits (rounded up)', (usd, credits) => {
    expect(creditsFor(usd)).toBe(credits);
  });

  it('L1/L2 hits are free, L4 pays its pre-generation, a render pays its (partial) price', () => {
    expect(creditsCharged({ layer: 'L1', costUsd: 0, video })).toBe(0);
    expect(creditsCharged({ layer: 'L2', costUsd: 0.01, video })).toBe(0);
    expect(creditsCharged({ layer: 'L4', costUsd: 0, video })).toBe(50);
    expect(creditsCharged({ layer: 'L3', costUsd: 0.2, video: { ...video, costUsd: 0.2 } })).toBe(20);
    expect(creditsCharged({ layer: 'miss', costUsd: 0.5, video })).toBe(50);
  });
});
