import type { SemanticCacheResult } from '@storyforge/db';
import type postgres from 'postgres';
import type { CachedVideo, GenerationParameters } from '../generation/types';
import { fromPgVector, similarityFromPgDistance, toPgVector } from './similarity';
import type { SemanticMatch, SemanticQuery, StoredSemanticEntry, VectorStore } from './vector-store';

export interface PgVectorStoreOptions {
  sql: postgres.Sql;
  /** HNSW candidate list size; higher = better recall, slower. Default 100. */
  efSearch?: number;
  /** Rows per INSERT statement. Default 200. */
  batchSize?: number;
  /** Scopes with at most this many live entries are ranked exactly; larger ones use HNSW. Default 2000. */
  exactScopeLimit?: number;
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
 * L2 on Postgres + pgvector, table `semantic_cache_entries` (HNSW, vector_cosine_ops). Scope filters
 * go in the WHERE clause; `hnsw.iterative_scan = relaxed_order` (pgvector ≥ 0.8) keeps the index scan
 * going until enough rows pass the filter, so a selective filter does not under-return, and the
 * results are re-sorted here because relaxed order may be slightly out of order.
 */
export function createPgVectorStore(options: PgVectorStoreOptions): VectorStore {
  const { sql } = options;
  const efSearch = options.efSearch ?? 100;
  const batchSize = options.batchSize ?? 200;
  const exactLimit = options.exactScopeLimit ?? 2000;
  const largeScopes = new Set<string>();
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
      const vec = toPgVector(q.embedding);
      const params = [vec, q.tenantId, q.provider, q.brainId, q.embedderId, q.embedderVersion, q.modelVersion, q.now, q.topK];
      const scope = `tenant_id = $2 and provider = $3 and brain_id is not distinct from $4::uuid
              and embedder_id = $5 and embedder_version = $6 and model_version = $7
              and expires_at > to_timestamp($8::double precision / 1000)`;
      // Most scopes (one tenant + provider + brain) hold few entries: read them through the btree scope
      // index and rank exactly (exact beats HNSW there, and HNSW + a selective WHERE scans far too many
      // graph nodes). Only a scope larger than EXACT_SCOPE_LIMIT goes to the HNSW index below.
      // A literal LIMIT: with a bind parameter the planner assumes a large limit and prefers a seq scan
      // + sort over the HNSW index (the classic pgvector prepared-statement trap).
      const limit = Math.max(1, Math.min(1000, Math.floor(q.topK)));
      const scopeKey = `${q.tenantId}|${q.provider}|${q.brainId ?? ''}|${q.embedderId}|${q.embedderVersion}|${q.modelVersion}`;
      let rows: Array<Row & { scoped: string }> = [];
      if (!largeScopes.has(scopeKey)) {
        rows = await sql.unsafe<(Row & { scoped: string })[]>(
          `with scoped as materialized (
             select id, embedding from semantic_cache_entries where ${scope} limit ${exactLimit + 1}),
           ranked as (
             select id, embedding <=> $1::vector as distance, count(*) over () as scoped
               from scoped order by distance limit $9)
           select ${SELECT_COLUMNS}, ranked.distance, ranked.scoped
             from ranked join semantic_cache_entries using (id)`,
          params,
        );
        // Remember big scopes so their next queries skip straight to the index (bounded memory).
        if (Number(rows[0]?.scoped ?? 0) > exactLimit && largeScopes.size < 10_000) largeScopes.add(scopeKey);
      }
      if (largeScopes.has(scopeKey)) {
        rows = await sql.begin(async (tx) => {
          await tx.unsafe(`set local hnsw.ef_search = ${Math.max(efSearch, q.topK)}`);
          // pgvector ≥ 0.8: keep scanning the graph until enough rows pass the WHERE (no under-return).
          await tx`set local hnsw.iterative_scan = relaxed_order`;
          // The scope predicates are correlated, so Postgres estimates ~1 matching row and picks a seq scan
          // + sort (measured: 0.5–1 s at 100k). Seq scans off makes the HNSW index the only plan left.
          await tx`set local enable_seqscan = off`;
          // tenant_id is compared as text on purpose: that keeps the planner off the btree scope index
          // (which would mean sorting the whole big scope by distance) and on the HNSW index.
          return tx.unsafe<(Row & { scoped: string })[]>(
            `select ${SELECT_COLUMNS}, embedding <=> $1::vector as distance, 0 as scoped
               from semantic_cache_entries
              where ${scope.replace('tenant_id = $2', 'tenant_id::text = $2::text')}
              order by embedding <=> $1::vector limit ${limit}`,
            params.slice(0, 8),
          );
        });
      }
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
