import { Counter, type Registry } from 'prom-client';

export interface MutationMetrics {
  mutations: Counter<'status' | 'code'>;
  retries: Counter;
  fallbacks: Counter;
}

function reuse<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** Mutation outcomes (applied/duplicate/rejected by code) and transaction retries, on the injected registry. */
export function createMutationMetrics(registry: Registry): MutationMetrics {
  return {
    mutations: reuse(registry, 'storyforge_api_mutations_total', () => new Counter({
      name: 'storyforge_api_mutations_total',
      help: 'Mutations by outcome (applied, duplicate, rejected) and rejection code',
      labelNames: ['status', 'code'],
      registers: [registry],
    })),
    retries: reuse(registry, 'storyforge_api_mutation_tx_retries_total', () => new Counter({
      name: 'storyforge_api_mutation_tx_retries_total',
      help: 'Mutation batches retried after a deadlock or serialization failure',
      registers: [registry],
    })),
    fallbacks: reuse(registry, 'storyforge_api_mutation_fast_path_fallbacks_total', () => new Counter({
      name: 'storyforge_api_mutation_fast_path_fallbacks_total',
      help: 'Batches re-run one mutation at a time after the set-based path met a Postgres-level rejection or race',
      registers: [registry],
    })),
  };
}
