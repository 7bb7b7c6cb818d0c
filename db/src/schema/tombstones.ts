import { pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * One row per hard-deleted syncable row: a late update or insert with that id is refused, so a delete
 * is never undone by a device that was offline (deletes win over concurrent updates).
 */
export const tombstones = pgTable(
  'tombstones',
  {
    tableName: text('table_name').notNull(),
    rowId: uuid('row_id').notNull(),
    hlc: text('hlc').notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }).notNull().defaultNow(),
    deletedBy: uuid('deleted_by'),
  },
  (t) => [primaryKey({ name: 'tombstones_pkey', columns: [t.tableName, t.rowId] })],
);

export type Tombstone = typeof tombstones.$inferSelect;
export type NewTombstone = typeof tombstones.$inferInsert;
