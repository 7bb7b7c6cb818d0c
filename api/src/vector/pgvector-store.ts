import type { SemanticCacheResult } from '@storyforge/db';
import type postgres from 'postgres';
import type { CachedVideo, GenerationParameters } from '../generation/types';
import { scopedTopK } from './pgvector-scoped-query';
import { fromPgVector, similarityFromPgDistance, toPgVector } from './similarity';
import type { SemanticMatch, SemanticQuery, StoredSemanticEntry, VectorStore } from './vector-store';

export interface PgVectorStoreOptions {
  sql: postgres.Sql;
  /**
   * hnsw.ef_search for large scopes; higher = better recall, slower. Default 40 (pgvector's): with the
   * iterative scan, 100 bought no recall on the L2 bench (recall@5 0.970 vs 0.975 over a 50k scope, every
   * paraphrase's best match found either way) and cost ~2× the index pages per query.
   */
  efSearch?: number;
  /** Rows per INSERT statement. Default 200. */
  batchSize?: number;
  /**
   * Scopes with at most this many live entries are scanned (signature shortlist + exact re-rank, see
   * pgvector-scoped-query.ts); larger ones use HNSW. Default 2000: at 100k entries the scan of 2,000
   * took p50 ~2.6 ms, HNSW on a 2,000-entry scope (2 % of the table) ~7–19 ms, and HNSW gets slower as
   * the scope's share of the table shrinks. 0 sends every scope to HNSW.
   */
  scanScopeLimit?: number;
  /**
   * Rows of a scanned scope re-ranked by exact cosine (default 64, at least 8·k), or 'all' to rank every
   * row of the scope exactly (ground truth for recall measurements; slower).
   */
  shortlist?: number | 'all';
}

const SELECT_COLUMNS = `id, tenant_id, provider, brain_id, embedder_id, embedder_version, model_version, prompt,
  normalized_prompt, salient_tokens, parameters, result, source_request_id, extract(epoch from created_at) * 1000 as created_ms,
  extract(epoch from expires_at) * 1000 as expires_ms, hit_count, extract(epoch from last_hit_at) * 1000 as last_hit_ms`;

interface Row {
  id: string;
  tenant_id: string;
  provider: string;
  brain_id: string | null;
  embedder_id: string;
  embedder_version: string;
  model_version: string;
  prompt: string;
  normalized_prompt: string;
  salient_tokens: string[];
  parameters: GenerationParameters;
  result: SemanticCacheResult;
  source_request_id: string | null;
  created_ms: string;
  expires_ms: string;
  hit_count: number;
  last_hit_ms: string | null;
  embedding?: string | undefined;
  distance?: number;
}

function toEntry(row: Row): StoredSemanticEntry {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    provider: row.provider,
    brainId: row.brain_id,
    embedderId: row.embedder_id,
    embedderVersion: row.embedder_version,
    modelVersion: row.model_version,
    prompt: row.prompt,
    normalizedPrompt: row.normalized_prompt,
    salientTokens: row.salient_tokens,
    parameters: row.parameters,
    embedding: row.embedding === undefined ? new Float32Array(0) : fromPgVector(row.embedding),
    result: fromResultJson(row.result, row.source_request_id ?? ''),
    createdAt: Math.round(Number(row.created_ms)),
    expiresAt: Math.round(Number(row.expires_ms)),
    hitCount: row.hit_count,
    lastHitAt: row.last_hit_ms === null ? null : Math.round(Number(row.last_hit_ms)),
  };
}

/**
 * L2 on Postgres + pgvector, table `semantic_cache_entries` (HNSW, vector_cosine_ops). A query ranks
 * one scope: by a signature scan with an exact re-rank when the scope is small, through HNSW with
 * pgvector 0.8's iterative scan when it is large — chosen per query by counting the scope
 * (pgvector-scoped-query.ts). Results are re-sorted here because the relaxed-order iterative scan may
 * return them slightly out of order.
 */
export function createPgVectorStore(options: PgVectorStoreOptions): VectorStore {
  const { sql } = options;
  const efSearch = options.efSearch ?? 40;
  const batchSize = options.batchSize ?? 200;
  const scanScopeLimit = options.scanScopeLimit ?? 2000;
  const shortlist = options.shortlist ?? 64;
  return {
    name: 'pgvector',
    async upsert(entries) {
      for (let i = 0; i < entries.length; i += batchSize) {
        const rows = entries.slice(i, i + batchSize).map((e) => ({
          id: e.id,
          tenant_id: e.tenantId,
          provider: e.provider,
          brain_id: e.brainId,
          embedder_id: e.embedderId,
          embedder_version: e.embedderVersion,
          model_version: e.modelVersion,
          prompt: e.prompt,
          normalized_prompt: e.normalizedPrompt,
          salient_tokens: e.salientTokens,
          parameters: e.parameters,
          embedding: toPgVector(e.embedding),
          result: toResultJson(e.result),
          source_request_id: e.result.sourceRequestId,
          created_at: new Date(e.createdAt).toISOString(),
          expires_at: new Date(e.expiresAt).toISOString(),
        }));
        // One parameter for the whole batch: json_to_recordset types every column on the way in.
        // (The cast to JSONValue is only because the row type has no index signature.)
        await sql`
          insert into semantic_cache_entries (id, tenant_id, provider, brain_id, embedder_id, embedder_version,
            model_version, prompt, normalized_prompt, salient_tokens, parameters, embedding, result,
            source_request_id, created_at, expires_at)
          select * from json_to_recordset(${sql.json(rows as unknown as postgres.JSONValue)}::json) as x(id uuid, tenant_id uuid,
            provider text, brain_id uuid, embedder_id text, embedder_version text, model_version text, prompt text,
            normalized_prompt text, salient_tokens text[], parameters jsonb, embedding vector, result jsonb,
            source_request_id text, created_at timestamptz, expires_at timestamptz)
          on conflict (id) do update set tenant_id = excluded.tenant_id, provider = excluded.provider,
            brain_id = excluded.brain_id, embedder_id = excluded.embedder_id,
            embedder_version = excluded.embedder_version, model_version = excluded.model_version,
            prompt = excluded.prompt, normalized_prompt = excluded.normalized_prompt,
            salient_tokens = excluded.salient_tokens, parameters = excluded.parameters,
            embedding = excluded.embedding, result = excluded.result,
            source_request_id = excluded.source_request_id, created_at = excluded.created_at,
            expires_at = excluded.expires_at`;
      }
    },
    async query(q: SemanticQuery): Promise<SemanticMatch[]> {
      const { rows } = await scopedTopK<Row>({ sql, query: q, vector: toPgVector(q.embedding), scanScopeLimit, shortlist, efSearch, columns: SELECT_COLUMNS });
      return rows
        .map((row) => ({ entry: toEntry({ ...row, embedding: undefined }), similarity: similarityFromPgDistance(Number(row.distance)) }))
        .filter((m) => m.similarity >= q.minSimilarity)
        .sort((a, b) => b.similarity - a.similarity);
    },
    async fetch(tenantId, ids) {
      if (ids.length === 0) return [];
      const rows = await sql.unsafe<Row[]>(
        `select ${SELECT_COLUMNS}, embedding::text as embedding from semantic_cache_entries
          where tenant_id = $1 and id = any($2::uuid[])`,
        [tenantId, ids as string[]],
      );
      return rows.map(toEntry);
    },
    async recordHit(tenantId, id, at) {
      // greatest() skips a NULL last_hit_at, so the first hit sets it and a late hit never moves it back.
      await sql`update semantic_cache_entries set hit_count = hit_count + 1,
                  last_hit_at = greatest(last_hit_at, ${new Date(at).toISOString()}::timestamptz)
                where tenant_id = ${tenantId} and id = ${id}`;
    },
    async delete(tenantId, ids) {
      if (ids.length === 0) return;
      await sql`delete from semantic_cache_entries where tenant_id = ${tenantId} and id = any(${ids as string[]}::uuid[])`;
    },
    async deleteExpired(now, tenantIds) {
      const cutoff = new Date(now).toISOString();
      const result =
        tenantIds === undefined
          ? await sql`delete from semantic_cache_entries where expires_at <= ${cutoff}::timestamptz`
          : await sql`delete from semantic_cache_entries where expires_at <= ${cutoff}::timestamptz
                        and tenant_id = any(${tenantIds as string[]}::uuid[])`;
      return result.count;
    },
    async count(tenantId) {
      const [row] =
        tenantId === undefined
          ? await sql<{ n: string }[]>`select count(*) as n from semantic_cache_entries`
          : await sql<{ n: string }[]>`select count(*) as n from semantic_cache_entries where tenant_id = ${tenantId}`;
      return Number(row?.n ?? 0);
    },
  };
}

/** semantic_cache_entries.result follows @storyforge/db's semanticCacheResultSchema (snake_case). */
export function toResultJson(v: CachedVideo): SemanticCacheResult {
  return {
    video_url: v.videoUrl,
    thumbnail_url: v.thumbnailUrl,
    ...(v.mediaAssetId === undefined ? {} : { media_asset_id: v.mediaAssetId }),
    cost_usd: v.costUsd,
    generation_ms: Math.round(v.generationMs),
  };
}

export function fromResultJson(r: SemanticCacheResult, sourceRequestId: string): CachedVideo {
  return {
    videoUrl: r.video_url,
    thumbnailUrl: r.thumbnail_url ?? '',
    ...(r.media_asset_id === undefined ? {} : { mediaAssetId: r.media_asset_id }),
    costUsd: r.cost_usd,
    generationMs: r.generation_ms ?? 0,
    sourceRequestId,
  };
}
