import { sql } from 'drizzle-orm';
import { bigint, check, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Content-addressed media: one row per distinct file (sha256 of its bytes, lowercase hex), referenced
 * by scene versions and cache entries, never duplicated. ref_count lets a sweeper delete unreferenced files.
 */
export const mediaAssets = pgTable(
  'media_assets',
  {
    id: uuid('id').primaryKey(),
    sha256: text('sha256').notNull().unique('media_assets_sha256_unique'),
    byteSize: bigint('byte_size', { mode: 'number' }).notNull(),
    contentType: text('content_type').notNull(),
    storageKey: text('storage_key').notNull(),
    refCount: integer('ref_count').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('media_assets_sha256_check', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
    check('media_assets_byte_size_check', sql`${t.byteSize} >= 0`),
    check('media_assets_ref_count_check', sql`${t.refCount} >= 0`),
  ],
);

export type MediaAsset = typeof mediaAssets.$inferSelect;
export type NewMediaAsset = typeof mediaAssets.$inferInsert;
