import { sql } from 'drizzle-orm';
import { bit, check, index, integer, jsonb, pgTable, text, timestamp, uuid, vector } from 'drizzle-orm/pg-core';
import type { SemanticCacheResult } from '../validators/semantic-cache-result';

export const PROMPT_EMBEDDING_DIMENSIONS = 1536;
/** Two bits per dimension: `> 0` and `< 0` (migration 0005's prompt_embedding_signature). */
export const PROMPT_SIGNATURE_BITS = PROMPT_EMBEDDING_DIMENSIONS * 2;

/**
 * L2 of the generation cache. A hit requires same tenant/provider/brain AND same embedder id+version
 * (a new embedder never matches old vectors) AND cosine ≥ threshold AND no salient-token mismatch.
 * brain_id has no FK: the entry is a cache and must not block deleting a brain; a stale one just expires.
 */
export const semanticCacheEntries = pgTable(
  'semantic_cache_entries',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id').notNull(),
    provider: text('provider').notNull(),
    brainId: uuid('brain_id'),
    embedderId: text('embedder_id').notNull(),
    embedderVersion: text('embedder_version').notNull(),
    modelVersion: text('model_version').notNull(),
    prompt: text('prompt').notNull(),
    normalizedPrompt: text('normalized_prompt').notNull(),
    salientTokens: text('salient_tokens').array().notNull().default(sql`'{}'::text[]`),
    parameters: jsonb('parameters').$type<Record<string, unknown>>().notNull().default({}),
    embedding: vector('embedding', { dimensions: PROMPT_EMBEDDING_DIMENSIONS }).notNull(),
    // Migration 0005: the sign pattern of `embedding` (384 bytes, stored inline, unlike the 6 kB TOASTed
    // vector). A scope scan ranks these by Hamming distance and re-ranks only a shortlist exactly, so it
    // detoasts ~64 vectors instead of every vector of the scope. Two bits per dimension (> 0, < 0) rather
    // than pgvector's one (> 0): the lexical embedder's vectors are sparse and signed, and with one bit
    // its negative features vanish and near-variants tie (measured: a cosine 0.80 match dropped).
    embeddingSignature: bit('embedding_signature', { dimensions: PROMPT_SIGNATURE_BITS }).generatedAlwaysAs(sql`prompt_embedding_signature(embedding)`),
    result: jsonb('result').$type<SemanticCacheResult>().notNull(),
    sourceRequestId: text('source_request_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    hitCount: integer('hit_count').notNull().default(0),
    lastHitAt: timestamp('last_hit_at', { withTimezone: true }),
  },
  (t) => [
    index('semantic_cache_entries_embedding_hnsw_idx').using('hnsw', t.embedding.op('vector_cosine_ops')),
    index('semantic_cache_entries_scope_idx').on(t.tenantId, t.provider, t.expiresAt),
    // Migration 0004: the periodic TTL sweep (`delete … where expires_at <= $cutoff`) spans all tenants.
    index('semantic_cache_entries_expires_at_idx').on(t.expiresAt),
    check('semantic_cache_entries_hit_count_check', sql`${t.hitCount} >= 0`),
  ],
);

export type SemanticCacheEntry = typeof semanticCacheEntries.$inferSelect;
export type NewSemanticCacheEntry = typeof semanticCacheEntries.$inferInsert;
