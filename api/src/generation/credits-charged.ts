import type { ServeResult } from '../cache/generation-cache';

/** 1 credit = $0.01 of inference, rounded up. */
export function creditsFor(costUsd: number): number {
  return Math.ceil(Math.round(costUsd * 10_000) / 100);
}

/**
 * What an answer costs the user: L1/L2 hits are free; an L4 hit pays the pre-generated render it used;
 * a render pays what the provider billed (a partial L3 render its partial price).
 */
export function creditsCharged(result: Pick<ServeResult, 'layer' | 'costUsd' | 'video'>): number {
  switch (result.layer) {
    case 'L1':
    case 'L2':
      return 0;
    case 'L4':
      return creditsFor(result.video.costUsd);
    case 'L3':
    case 'miss':
      return creditsFor(result.costUsd);
  }
}
