import type postgres from 'postgres';

/**
 * Test fallback while @storyforge/db's migration for `semantic_cache_entries` has not landed: creates
 * the table exactly as db/src/schema/semantic-cache-entries.ts declares it, IF NOT EXISTS — so once
 * the real migration exists this is a no-op and the tests run against the real DDL.
 */
export async function ensureSemanticCacheTable(sql: postgres.Sql): Promise<void> {
  await sql`create extension if not exists vector`;
  await sql`
    create table if not exists semantic_cache_entries (
      id uuid primary key, tenant_id uuid not null, provider text not null, brain_id uuid,
      embedder_id text not null, embedder_version text not null, model_version text not null,
      prompt text not null, normalized_prompt text not null, salient_tokens text[] not null default '{}'::text[],
      parameters jsonb not null default '{}', embedding vector(1536) not null, result jsonb not null,
      source_request_id text, created_at timestamptz not null default now(), expires_at timestamptz not null,
      hit_count integer not null default 0, last_hit_at timestamptz,
      constraint semantic_cache_entries_hit_count_check check (hit_count >= 0))`;
  await sql`create index if not exists semantic_cache_entries_embedding_hnsw_idx on semantic_cache_entries using hnsw (embedding vector_cosine_ops)`;
  await sql`create index if not exists semantic_cache_entries_scope_idx on semantic_cache_entries (tenant_id, provider, expires_at)`;
}
