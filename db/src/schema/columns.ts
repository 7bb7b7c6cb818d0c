// Columns every syncable table shares (common brief, "Shared decisions").
import { jsonb, timestamp } from 'drizzle-orm/pg-core';

/** Map column name → HLC string of that column's last accepted write (per-field LWW). */
export type FieldClocks = Record<string, string>;

/**
 * `created_at`, `updated_at` (both the server's time: the API sets them, a client never does) and
 * `field_clocks`. Spread into a table's columns: `{ id: …, ...syncColumns() }`.
 * A function, not a shared object, because Drizzle column builders must not be reused across tables.
 */
export function syncColumns() {
  return {
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    fieldClocks: jsonb('field_clocks').$type<FieldClocks>().notNull().default({}),
  };
}

/** Column names of `syncColumns()` in TS (camelCase) form: server-maintained on every syncable table. */
export const SYNC_COLUMN_KEYS = ['createdAt', 'updatedAt', 'fieldClocks'] as const;
