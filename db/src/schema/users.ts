import { sql } from 'drizzle-orm';
import { check, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { UserSettings } from '../validators/user-settings';
import { syncColumns } from './columns';

export const SUBSCRIPTION_TIERS = ['free', 'pro', 'studio'] as const;
export type SubscriptionTier = (typeof SUBSCRIPTION_TIERS)[number];

/** subscription_tier and credits_balance are server-only (billing); credits_balance mirrors credit_ledger. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    email: text('email').notNull().unique('users_email_unique'),
    displayName: text('display_name').notNull().default(''),
    avatarUrl: text('avatar_url'),
    subscriptionTier: text('subscription_tier', { enum: SUBSCRIPTION_TIERS }).notNull().default('free'),
    creditsBalance: integer('credits_balance').notNull().default(0),
    settings: jsonb('settings').$type<UserSettings>().notNull().default({}),
    ...syncColumns(),
  },
  (t) => [
    check('users_subscription_tier_check', sql`${t.subscriptionTier} in ('free', 'pro', 'studio')`),
    check('users_credits_balance_check', sql`${t.creditsBalance} >= 0`),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
