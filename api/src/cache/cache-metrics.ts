import { Counter, Histogram, type Registry } from 'prom-client';
import type { Layer } from '../generation/types';

export interface CacheMetrics {
  decisions: Counter<'layer'>;
  falseHits: Counter<'layer'>;
  costSavedUsd: Counter<'layer'>;
  costSpentUsd: Counter<'layer'>;
  lookupSeconds: Histogram<'layer'>;
  pregenerations: Counter<'outcome'>;
  pregenerationWasteUsd: Counter;
}

function getOrCreate<T>(registry: Registry, name: string, create: () => T): T {
  // The registry is shared by the whole server (and by several test apps): register each metric once.
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/** Generation cache metrics on the injected registry (served at /v1/metrics). */
export function createCacheMetrics(registry: Registry): CacheMetrics {
  const registers = [registry];
  return {
    decisions: getOrCreate(registry, 'storyforge_cache_decisions_total', () => new Counter({ name: 'storyforge_cache_decisions_total', help: 'Generation requests by the layer that answered (miss = generated)', labelNames: ['layer'], registers })),
    falseHits: getOrCreate(registry, 'storyforge_cache_false_hits_total', () => new Counter({ name: 'storyforge_cache_false_hits_total', help: 'Hits later reported wrong (user feedback or a known-truth replay)', labelNames: ['layer'], registers })),
    costSavedUsd: getOrCreate(registry, 'storyforge_cache_cost_saved_usd_total', () => new Counter({ name: 'storyforge_cache_cost_saved_usd_total', help: 'Full render cost avoided, by layer (USD)', labelNames: ['layer'], registers })),
    costSpentUsd: getOrCreate(registry, 'storyforge_cache_cost_spent_usd_total', () => new Counter({ name: 'storyforge_cache_cost_spent_usd_total', help: 'Inference cost paid, by layer (USD; L4 = pre-generation)', labelNames: ['layer'], registers })),
    lookupSeconds: getOrCreate(registry, 'storyforge_cache_lookup_seconds', () => new Histogram({ name: 'storyforge_cache_lookup_seconds', help: 'Lookup latency per cache layer', labelNames: ['layer'], buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25], registers })),
    pregenerations: getOrCreate(registry, 'storyforge_cache_pregenerations_total', () => new Counter({ name: 'storyforge_cache_pregenerations_total', help: 'L4 pre-generations by outcome (made, used, wasted)', labelNames: ['outcome'], registers })),
    pregenerationWasteUsd: getOrCreate(registry, 'storyforge_cache_pregeneration_waste_usd_total', () => new Counter({ name: 'storyforge_cache_pregeneration_waste_usd_total', help: 'Cost of L4 pre-generations that expired unused (USD)', registers })),
  };
}

export function observeLookup(metrics: CacheMetrics | undefined, layer: Layer, seconds: number): void {
  metrics?.lookupSeconds.observe({ layer }, seconds);
}
