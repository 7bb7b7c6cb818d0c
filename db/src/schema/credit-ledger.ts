import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

export const CREDIT_REASONS = ['grant', 'purchase', 'generation', 'refund', 'adjustment'] as const;
export type CreditReason = (typeof CREDIT_REASONS)[number];

/**
 * Append-only, server-written. users.credits_balance is updated in the same transaction as each insert
 * and balance_after records it, so the ledger alone can rebuild and audit the balance. A trigger in
 * migration 0000 refuses UPDATE and DELETE (drizzle-kit cannot express triggers). ON DELETE CASCADE
 * from users still works because the trigger lets cascaded deletes through (see the migration).
 */
export const creditLedger = pgTable(
  'credit_ledger',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    delta: integer('delta').notNull(),
    reason: text('reason', { enum: CREDIT_REASONS }).notNull(),
    referenceId: uuid('reference_id'),
    balanceAfter: integer('balance_after').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // DESC NULLS FIRST = what `order by id desc` means; NULLS LAST (drizzle's default for desc) forces a Sort.
    index('credit_ledger_user_id_idx').on(t.userId, t.id.desc().nullsFirst()),
    check('credit_ledger_delta_check', sql`${t.delta} <> 0`),
    check('credit_ledger_balance_after_check', sql`${t.balanceAfter} >= 0`),
    check(
      'credit_ledger_reason_check',
      sql`${t.reason} in ('grant', 'purchase', 'generation', 'refund', 'adjustment')`,
    ),
  ],
);

export type CreditLedgerEntry = typeof creditLedger.$inferSelect;
export type NewCreditLedgerEntry = typeof creditLedger.$inferInsert;
