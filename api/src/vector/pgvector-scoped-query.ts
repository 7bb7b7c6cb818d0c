// Top-k inside one L2 scope (tenant/provider/brain/embedder/model, unexpired) on semantic_cache_entries,
// fast whether the scope holds 5 entries or 500,000. Two plans, picked per query by counting the scope
// up to a limit (cheap: the btree scope index, stops at limit + 1 rows, no vector is read):
//  - small scope → scan: read the scope's rows through the btree, rank their embedding_signature (the
//    sign pattern, 384 bytes inline, migration 0005) by Hamming distance, and re-rank a shortlist by exact
//    cosine. Only the shortlist's 6 kB TOASTed vectors are read: ranking every vector of a 2,000-entry
//    scope took p50 ~12 ms, the shortlist ~2.6 ms, with the same best match whenever it was ≥ 0.8 cosine
//    (measured at 100k entries). A near-duplicate (what L2 serves) differs in few signs, so it sits at the
//    top of the Hamming order; `shortlist: 'all'` ranks every row exactly (ground truth for tests, benches).
//    Faster than HNSW there: with a selective filter HNSW's iterative scan walks thousands of graph nodes.
//  - large scope → HNSW (vector_cosine_ops) with pgvector 0.8's iterative scan (relaxed order: the caller
//    re-sorts), so the scope filter alone does not make it under-return (up to hnsw.max_scan_tuples).
//    Still approximate: it can miss rows the graph does not reach (see pgvector-store.pg.test.ts);
//    recall is measured by pgvector-scoped-query.pg.test.ts and the L2 bench.
// Why the planner needs steering: the six scope predicates are correlated (one tenant uses one embedder
// and model), so Postgres multiplies their selectivities and expects ~1 row. For 1 row "read the scope
// through an index and sort it" looks free, and it picks exactly that for the big scope: through
// semantic_cache_entries_expires_at_idx (every live row matches) or the scope index, then a sort of 50k
// rows, detoasting 50k 6 kB vectors (measured 0.5–2.3 s at 100k entries). `enable_sort = off` for the
// HNSW statement leaves the index scan as the only plan that yields distance order without a sort.
// All settings are SET LOCAL (set_config(…, true)) in the query's own transaction: nothing leaks into
// the pool.
import type postgres from 'postgres';
import { withTransaction } from '../mutations/with-transaction';
import type { SemanticQuery } from './vector-store';

export interface ScopedTopKOptions {
  /** Scopes with at most this many live entries are scanned (signature shortlist); larger ones use HNSW. */
  scanScopeLimit: number;
  /**
   * Rows of a scanned scope re-ranked by exact cosine after the signature ranking (raised to 8·k), or
   * 'all' to rank every row exactly.
   */
  shortlist: number | 'all';
  /** hnsw.ef_search (raised to k if k is larger). */
  efSearch: number;
  /** Columns to return besides `distance` (trusted SQL, not user input). */
  columns: string;
}

export type ScopedPlan = 'scan' | 'exact' | 'hnsw';

// $1..$7 the scope, $8 the query vector.
const SCOPE = `tenant_id = $1 and provider = $2 and brain_id is not distinct from $3::uuid and embedder_id = $4
  and embedder_version = $5 and model_version = $6 and expires_at > to_timestamp($7::double precision / 1000)`;

function scopeParams(q: SemanticQuery): (string | number | null)[] {
  return [q.tenantId, q.provider, q.brainId, q.embedderId, q.embedderVersion, q.modelVersion, q.now];
}

/** The statements of each plan; exported so a test can EXPLAIN exactly what runs. */
export function scopedStatements(options: ScopedTopKOptions, k: number) {
  const limit = Math.max(1, Math.min(1000, Math.floor(k)));
  // `+ 0` keeps the Hamming order off any index; null = rank every row exactly.
  const shortlist = options.shortlist === 'all' ? null : Math.max(Math.floor(options.shortlist), 8 * limit);
  return {
    // jit off: the planner's cost for the HNSW path is huge (it expects ~1 row to pass the filter), which
    // would switch JIT compilation on for a 2 ms query (measured 10–37 ms of JIT per query).
    // No parallel workers: launching one costs more than the whole count (measured 35–45 ms vs 0.5 ms).
    // Bitmap scans off: a bitmap index scan reads the whole big scope before the LIMIT applies.
    settings: `select set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true),
      set_config('enable_bitmapscan', 'off', true),
      set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', '${Math.max(options.efSearch, limit)}', true)`,
    // The count gates the scan (a one-time filter: for a big scope no row is read past the count, no
    // vector detoasted) and comes back on every row, or on one all-null row if none ranked.
    // The materialized CTEs keep the HNSW index out: the scope's rows first, then the ranking.
    // The query's signature is computed once (an InitPlan), not per row under a generic plan.
    // LIMITs are literals: a bound LIMIT makes the planner assume a large one.
    scan: `with counted as (select count(*)::int as scope_count
          from (select 1 from semantic_cache_entries where ${SCOPE} limit ${options.scanScopeLimit + 1}) s),
        ${
          shortlist === null
            ? `candidates as materialized (select id, embedding from semantic_cache_entries
          where ${SCOPE} and (select scope_count from counted) <= ${options.scanScopeLimit})`
            : `query_signature as materialized (select prompt_embedding_signature($8::vector) as signature),
        shortlisted as materialized (select id from semantic_cache_entries
          where ${SCOPE} and (select scope_count from counted) <= ${options.scanScopeLimit}
          order by (embedding_signature <~> (select signature from query_signature)) + 0 limit ${shortlist}),
        candidates as materialized (select id, embedding from shortlisted join semantic_cache_entries using (id))`
        },
        ranked as (select id, embedding <=> $8::vector as distance from candidates order by distance limit ${limit})
      select counted.scope_count, ${options.columns}, ranked.distance
        from counted left join (ranked join semantic_cache_entries using (id)) on true`,
    hnswSettings: `select set_config('enable_sort', 'off', true)`,
    // ORDER BY exactly `embedding <=> vector`, the opclass's operator, or the index is not a candidate.
    hnsw: `select ${options.columns}, embedding <=> $8::vector as distance from semantic_cache_entries
      where ${SCOPE} order by embedding <=> $8::vector limit ${limit}`,
  };
}

export interface ScopedTopKRequest extends ScopedTopKOptions {
  sql: postgres.Sql;
  query: SemanticQuery;
  /** The query embedding as a pgvector literal. */
  vector: string;
  /** Return the EXPLAIN of the chosen top-k statement instead of its rows (tests, diagnosis). */
  explain?: boolean;
}

/**
 * One transaction: BEGIN + settings + the count-gated scan pipelined (one round trip); only a scope over
 * `scanScopeLimit` costs a second one, for the HNSW statement; then COMMIT. Rows come back in
 * approximate distance order on the HNSW path.
 *
 * @example const { rows, plan } = await scopedTopK({ sql, query, vector, scanScopeLimit: 2000, shortlist: 64, efSearch: 40, columns: 'id' })
 */
export async function scopedTopK<T extends object>(request: ScopedTopKRequest): Promise<{ rows: T[]; plan: ScopedPlan; scopeCount: number }> {
  const s = scopedStatements(request, request.query.topK);
  const params = [...scopeParams(request.query), request.vector];
  const prefix = request.explain === true ? 'explain ' : '';
  return withTransaction(request.sql, async (tx) => {
    const [, scanned] = await Promise.all([tx.unsafe(s.settings), tx.unsafe<(T & { scope_count: number; distance: number | null })[]>(s.scan, params)]);
    const scopeCount = scanned[0]?.scope_count ?? 0;
    if (scopeCount <= request.scanScopeLimit) {
      const rows = request.explain === true ? await tx.unsafe<T[]>(prefix + s.scan, params) : scanned.filter((r) => r.distance !== null);
      return { rows, plan: request.shortlist === 'all' ? ('exact' as const) : ('scan' as const), scopeCount };
    }
    const [, rows] = await Promise.all([tx.unsafe(s.hnswSettings), tx.unsafe<T[]>(prefix + s.hnsw, params)]);
    return { rows, plan: 'hnsw' as const, scopeCount };
  });
}
