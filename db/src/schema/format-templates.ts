import { boolean, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { Beat } from '../validators/beat';
import { syncColumns } from './columns';
import { users } from './users';

/** creator_id null = built-in template. Public templates are readable by everyone (marketplace). */
export const formatTemplates = pgTable(
  'format_templates',
  {
    id: uuid('id').primaryKey(),
    creatorId: uuid('creator_id').references(() => users.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    beats: jsonb('beats').$type<Beat[]>().notNull(),
    isPublic: boolean('is_public').notNull().default(false),
    ...syncColumns(),
  },
  (t) => [index('format_templates_creator_id_idx').on(t.creatorId)],
);

export type FormatTemplate = typeof formatTemplates.$inferSelect;
export type NewFormatTemplate = typeof formatTemplates.$inferInsert;
