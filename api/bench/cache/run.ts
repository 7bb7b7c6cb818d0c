// Cache benchmark: `npx tsx bench/cache/run.ts [--users 300] [--days 180] [--seed 42] [--trace f.jsonl]
//   [--out decisions.jsonl] [--threshold 0.95] [--sweep 0.8,0.85,0.9,0.95,0.98] [--l2-entries 100000]
//   [--faces 100000] [--skip-latency]`
// Replays a seeded realistic trace (or your own JSONL) through the real L1–L4 on an injected clock,
// against a throwaway Postgres + Redis, and prints hit rates, false hits, cost, the oracle bound, a
// threshold sweep, and lookup latencies against their targets.
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildGenerationCache } from '../../src/cache/build-generation-cache';
import { L2_DEFAULT_TOP_K, L2_PARAMETER_TOLERANCE, L2_TTL_MS } from '../../src/cache/l2-semantic-cache';
import { createSimulatedProvider } from '../../src/generation/simulated-provider';
import type { Layer } from '../../src/generation/types';
import { createLocalMediaStore } from '../../src/media/local-media-store';
import { createHashingEmbedder } from '../../src/vector/hashing-embedder';
import { createMemoryVectorStore } from '../../src/vector/memory-vector-store';
import type { VectorStore } from '../../src/vector/vector-store';
import { machine, percentile, startBenchEnv, type BenchEnv } from './bench-env';
import { runLatencyBenches } from './latency';
import { analyseMisses, formatMissAnalysis } from './miss-analysis';
import { runOracle, type OracleResult } from './oracle';
import { replayTrace, type ReplaySummary } from './replay';
import { generateTrace } from './trace-generator';
import type { TraceDecision, TraceRequest } from './trace-types';

const MODEL_VERSION = 'sim-1';
const log = (line: string): void => void process.stdout.write(`${line}\n`);

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '300' },
    days: { type: 'string', default: '180' },
    seed: { type: 'string', default: '42' },
    trace: { type: 'string' },
    out: { type: 'string' },
    threshold: { type: 'string', default: '0.95' },
    sweep: { type: 'string', default: '0.8,0.85,0.9,0.95,0.98' },
    'l2-entries': { type: 'string', default: '100000' },
    faces: { type: 'string', default: '100000' },
    'skip-latency': { type: 'boolean', default: false },
    'skip-replay': { type: 'boolean', default: false },
  },
});

async function loadTrace(): Promise<TraceRequest[]> {
  if (args.trace !== undefined) {
    const text = await readFile(args.trace, 'utf8');
    return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as TraceRequest).sort((a, b) => a.at - b.at);
  }
  return generateTrace({ seed: Number(args.seed), users: Number(args.users), days: Number(args.days) });
}

async function freshReplay(env: BenchEnv, trace: readonly TraceRequest[], options: { threshold: number; store: VectorStore; tag: string; onDecision?: (d: TraceDecision) => void }): Promise<{ summary: ReplaySummary; seconds: number }> {
  await env.sql`truncate semantic_cache_entries, component_cache, media_assets cascade`;
  let clock = 0;
  const providers = new Map(['simulated', 'runway', 'kling'].map((id) => [id, createSimulatedProvider({ id })]));
  const cache = buildGenerationCache({
    sql: env.sql,
    redis: env.redis,
    // No fsync: this replays a trace for hit rates; durability is the store's own test's business.
    media: createLocalMediaStore({ dir: await mkdtemp(join(env.tmp, `media-${options.tag}-`)), fsync: false }),
    providers,
    now: () => clock,
    keyPrefix: `bench:${options.tag}:`,
    vectorStore: options.store,
    l2Threshold: options.threshold,
  });
  const started = performance.now();
  const summary = await replayTrace({
    trace,
    cache,
    modelVersion: MODEL_VERSION,
    setClock: (t) => (clock = t),
    ...(options.onDecision === undefined ? {} : { onDecision: options.onDecision }),
  });
  return { summary, seconds: (performance.now() - started) / 1000 };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)} %`;
}

function describe(s: ReplaySummary, oracle: OracleResult): Record<string, string> {
  const hits = s.layers.L1 + s.layers.L2 + s.layers.L4;
  const falseHits = s.falseHits.L1 + s.falseHits.L2 + s.falseHits.L4;
  const cost = s.servedCostUsd + s.pregenerationCostUsd;
  const saving = 1 - cost / s.noCacheCostUsd;
  const oracleSaving = 1 - (oracle.renders * (s.noCacheCostUsd / s.requests)) / s.noCacheCostUsd;
  const hitsWithoutL4 = s.layers.L1 + s.layers.L2;
  return {
    'hit rate (L1+L2+L4)': pct(hits / s.requests),
    'hit rate L1/L2/L4': `${pct(s.layers.L1 / s.requests)} / ${pct(s.layers.L2 / s.requests)} / ${pct(s.layers.L4 / s.requests)}`,
    'L3 partial renders': pct(s.layers.L3 / s.requests),
    'false hits / hits': s.knownTruth ? `${falseHits} / ${hits} = ${pct(hits === 0 ? 0 : falseHits / hits)} (L1 ${s.falseHits.L1}, L2 ${s.falseHits.L2}, L4 ${s.falseHits.L4})` : 'n/a (no truth in trace)',
    'cost no cache → cache': `$${s.noCacheCostUsd.toFixed(2)} → $${cost.toFixed(2)} (pre-generation $${s.pregenerationCostUsd.toFixed(2)} for ${s.pregenerated}, ${s.layers.L4} used)`,
    'cost saving': pct(saving),
    'vs oracle: hit rate (without L4)': `${pct(hits / s.requests / oracle.hitRate)} (${pct(hitsWithoutL4 / s.requests / oracle.hitRate)})`,
    'vs oracle: cost saving': `${pct(saving / oracleSaving)} (oracle saves ${pct(oracleSaving)})`,
  };
}

async function main(): Promise<void> {
  const trace = await loadTrace();
  log('# StoryForge cache benchmark');
  log(`machine: ${machine()}`);
  const tenants = new Set(trace.map((r) => r.userId)).size;
  const projects = new Set(trace.map((r) => r.projectId)).size;
  const days = trace.length === 0 ? 0 : ((trace.at(-1)?.at ?? 0) - (trace[0]?.at ?? 0)) / 86_400_000;
  log(`trace: ${args.trace ?? `generated seed=${args.seed}`} — ${trace.length} requests, ${tenants} users, ${projects} projects, ${days.toFixed(0)} days, ${trace.filter((r) => r.regenerate).length} regenerate`);
  if (trace.every((r) => r.truth !== undefined)) {
    const kinds: Record<string, number> = {};
    for (const r of trace) kinds[r.truth?.kind ?? '?'] = (kinds[r.truth?.kind ?? '?'] ?? 0) + 1;
    log(`mix: ${Object.entries(kinds).map(([k, n]) => `${k} ${pct(n / trace.length)}`).join(', ')}`);
  }
  const oracle = runOracle(trace, { ttlMs: L2_TTL_MS, modelVersion: MODEL_VERSION });
  log(`oracle (perfect cache, 90 d TTL, truth known): hit rate ${pct(oracle.hitRate)}, cost saving ${pct(oracle.hits / oracle.requests)}`);

  const env = await startBenchEnv(() => {});
  try {
    if (!args['skip-replay']) await replays(env, trace, oracle, days);
    if (!args['skip-latency']) {
      log('\n## Lookup latency');
      log(`load average at start: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (other work on this machine inflates tails)`);
      await runLatencyBenches({ env, l2Entries: Number(args['l2-entries']), faces: Number(args.faces), log });
    }
  } finally {
    await env.stop();
  }
}

async function replays(env: BenchEnv, trace: TraceRequest[], oracle: OracleResult, days: number): Promise<void> {
  {
    const { createPgVectorStore } = await import('../../src/vector/pgvector-store');
    const threshold = Number(args.threshold);
    const out = args.out === undefined ? null : createWriteStream(args.out);
    const layers = new Map<string, Layer>();
    log(`\n## Full replay: L1 Redis, L2 pgvector (HNSW), L3 Postgres + disk, L4 Redis; L2 threshold ${threshold}`);
    const main = await freshReplay(env, trace, {
      threshold,
      store: createPgVectorStore({ sql: env.sql }),
      tag: 'main',
      onDecision: (d: TraceDecision) => {
        layers.set(d.id, d.layer);
        if (out !== null) out.write(`${JSON.stringify(d)}\n`);
      },
    });
    if (out !== null) await new Promise<void>((resolve) => out.end(resolve));
    for (const [k, v] of Object.entries(describe(main.summary, oracle))) log(`  ${k.padEnd(34)} ${v}`);
    log(`  ${'replay'.padEnd(34)} ${main.seconds.toFixed(1)} s for ${trace.length} requests (${days.toFixed(0)} simulated days); lookup p50 ${percentile(main.summary.lookupMs, 50).toFixed(2)} ms, p99 ${percentile(main.summary.lookupMs, 99).toFixed(2)} ms`);
    if (args.out !== undefined) log(`  decisions written to ${args.out}`);
    // Hit bookkeeping (hit_count, last_hit_at) is an UPDATE per L2 hit; a non-HOT one re-inserts the row
    // into every index, the HNSW graph included. Idle backends flush their counters within 10 s
    // (Postgres 15's PGSTAT_IDLE_INTERVAL), hence the wait.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const [l2Table] = await env.sql<{ entries: number; updates: number; hot: number }[]>`
      select n_live_tup::int as entries, n_tup_upd::int as updates, n_tup_hot_upd::int as hot
      from pg_stat_user_tables where relname = 'semantic_cache_entries'`;
    if (l2Table !== undefined) log(`  ${'L2 table after the replay'.padEnd(34)} ${l2Table.entries} entries; ${l2Table.updates} updates (hit bookkeeping), ${pct(l2Table.updates === 0 ? 0 : l2Table.hot / l2Table.updates)} of them HOT (no index insert)`);
    const s = main.summary;
    const hits = s.layers.L1 + s.layers.L2 + s.layers.L4;
    const falseHits = s.falseHits.L1 + s.falseHits.L2 + s.falseHits.L4;
    const saving = 1 - (s.servedCostUsd + s.pregenerationCostUsd) / s.noCacheCostUsd;
    log('\n  target                                   measured');
    log(`  hit rate ≥ 80 % of oracle               ${pct(hits / s.requests / oracle.hitRate)} ${hits / s.requests >= 0.8 * oracle.hitRate ? 'PASS' : 'FAIL'}`);
    log(`  cost saving ≥ 80 % of oracle's          ${pct(saving / (oracle.hits / oracle.requests))} ${saving >= 0.8 * (oracle.hits / oracle.requests) ? 'PASS' : 'FAIL'}`);
    log(`  false hits ≤ 1 % of hits                ${pct(hits === 0 ? 0 : falseHits / hits)} ${falseHits <= 0.01 * hits ? 'PASS' : 'FAIL'}`);
    log(`  seed: hit rate > 30 % (> 40 % beta)     ${pct(hits / s.requests)}`);
    log(`  seed: inference cost −50 %              ${pct(saving)}`);

    log('\n## Miss analysis (why the cache rendered what the oracle serves; judged against the trace truth)');
    const analysis = await analyseMisses({
      trace, layers, oracleHits: oracle.hitIds, embedder: createHashingEmbedder(), threshold,
      tolerance: L2_PARAMETER_TOLERANCE, topK: L2_DEFAULT_TOP_K, ttlMs: L2_TTL_MS, modelVersion: MODEL_VERSION,
    });
    for (const line of formatMissAnalysis(analysis, trace.length)) log(line);

    log('\n## L2 threshold sweep (same trace; L2 on the exact in-memory store so each run is a fresh cache, everything else as above)');
    log('  threshold  hit rate  L2 hits  false hits/hits  cost saving  vs oracle (hits, saving)');
    for (const t of (args.sweep ?? '').split(',').filter(Boolean).map(Number)) {
      const r = await freshReplay(env, trace, { threshold: t, store: createMemoryVectorStore(), tag: `sweep${t}` });
      const x = r.summary;
      const h = x.layers.L1 + x.layers.L2 + x.layers.L4;
      const f = x.falseHits.L1 + x.falseHits.L2 + x.falseHits.L4;
      const sv = 1 - (x.servedCostUsd + x.pregenerationCostUsd) / x.noCacheCostUsd;
      log(`  ${t.toFixed(2).padEnd(9)}  ${pct(h / x.requests).padEnd(8)}  ${String(x.layers.L2).padEnd(7)}  ${(x.knownTruth ? pct(h === 0 ? 0 : f / h) : 'n/a').padEnd(15)}  ${pct(sv).padEnd(11)}  ${pct(h / x.requests / oracle.hitRate)}, ${pct(sv / (oracle.hits / oracle.requests))}`);
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
