import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Idempotency: the API inserts the mutation id in the same transaction that applies the mutation, so a
 * retried batch returns the stored result instead of applying twice. applied_at is indexed for pruning.
 * user_id has no FK on purpose: deleting a user must neither be blocked by nor cascade into these
 * records, and a late retry of that user's batch still resolves to its stored result until pruned.
 */
export const processedMutations = pgTable(
  'processed_mutations',
  {
    mutationId: uuid('mutation_id').primaryKey(),
    userId: uuid('user_id').notNull(),
    clientId: text('client_id').notNull(),
    txid: bigint('txid', { mode: 'number' }).notNull(),
    result: jsonb('result').$type<unknown>().notNull(),
    appliedAt: timestamp('applied_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('processed_mutations_applied_at_idx').on(t.appliedAt)],
);

export type ProcessedMutation = typeof processedMutations.$inferSelect;
export type NewProcessedMutation = typeof processedMutations.$inferInsert;
