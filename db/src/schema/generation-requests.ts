import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const GENERATION_REQUEST_STATES = ['pending', 'completed'] as const;
export type GenerationRequestState = (typeof GENERATION_REQUEST_STATES)[number];

/**
 * Idempotency-Key of POST /v1/generations, scoped per user. The API inserts a 'pending' row in its own
 * committed transaction before serving (so a concurrent duplicate sees it), and marks it 'completed' with
 * the response in the same transaction that records the scene version, so an acknowledged generation is
 * always replayable and a recorded version never leaves its key pending. A failed request deletes its row.
 *
 * updated_at doubles as the claim token: a stale 'pending' row (its process died) is taken over with
 * `UPDATE … WHERE updated_at = <the value seen>`, so of two takers one wins, and the original request, if
 * it was only slow, can no longer complete. Indexed for pruning by time.
 *
 * user_id has no FK on purpose (as processed_mutations): deleting a user must neither be blocked by nor
 * cascade into these records, and a late retry still resolves to its stored response until pruned.
 * version_id has none either: the version may be deleted later, the stored response stays what was sent.
 */
export const generationRequests = pgTable(
  'generation_requests',
  {
    userId: uuid('user_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** sha256 (hex) of the canonical JSON of the request body: a key reused for another body is refused. */
    fingerprint: text('fingerprint').notNull(),
    state: text('state', { enum: GENERATION_REQUEST_STATES }).notNull().default('pending'),
    versionId: uuid('version_id'),
    /** The 200 body sent, replayed verbatim; null while pending. */
    response: jsonb('response').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'generation_requests_pkey', columns: [t.userId, t.idempotencyKey] }),
    index('generation_requests_updated_at_idx').on(t.updatedAt),
    check('generation_requests_state_check', sql`${t.state} in ('pending', 'completed')`),
    check('generation_requests_key_check', sql`${t.idempotencyKey} ~ '^[\\x20-\\x7e]{1,255}$'`),
    check('generation_requests_completed_check', sql`(${t.state} = 'completed') = (${t.response} is not null and ${t.versionId} is not null)`),
  ],
);

export type GenerationRequest = typeof generationRequests.$inferSelect;
export type NewGenerationRequest = typeof generationRequests.$inferInsert;
