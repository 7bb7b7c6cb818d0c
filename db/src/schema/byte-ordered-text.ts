import { customType } from 'drizzle-orm/pg-core';

/**
 * `text COLLATE "C"`: byte-order comparison. fractional-indexing keys are ordered by JS string
 * comparison (code units); a locale collation (en_US: 'a' < 'B') would sort scenes differently in
 * Postgres than on the client. drizzle-kit copies the type string verbatim into the migration.
 */
export const byteOrderedText = customType<{ data: string; driverData: string }>({
  dataType: () => 'text COLLATE "C"',
});
