import { sql } from 'drizzle-orm';
import { check, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { mediaAssets } from './media-assets';

export const COMPONENT_KINDS = ['character', 'background', 'prop'] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

/**
 * L3 of the generation cache: reusable components keyed by a hash of their descriptor. tenant_id null
 * = shared across tenants; NULLS NOT DISTINCT (PG15) makes (null, kind, key) unique too.
 */
export const componentCache = pgTable(
  'component_cache',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id'),
    kind: text('kind', { enum: COMPONENT_KINDS }).notNull(),
    descriptorKey: text('descriptor_key').notNull(),
    descriptor: jsonb('descriptor').$type<Record<string, unknown>>().notNull(),
    mediaAssetId: uuid('media_asset_id')
      .notNull()
      .references(() => mediaAssets.id, { onDelete: 'restrict' }),
    useCount: integer('use_count').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [
    unique('component_cache_descriptor_unique').on(t.tenantId, t.kind, t.descriptorKey).nullsNotDistinct(),
    check('component_cache_kind_check', sql`${t.kind} in ('character', 'background', 'prop')`),
    check('component_cache_use_count_check', sql`${t.useCount} >= 0`),
  ],
);

export type ComponentCacheEntry = typeof componentCache.$inferSelect;
export type NewComponentCacheEntry = typeof componentCache.$inferInsert;
