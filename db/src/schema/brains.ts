import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, uuid, vector } from 'drizzle-orm/pg-core';
import type { BrainParameters } from '../validators/brain-parameters';
import { syncColumns } from './columns';
import { users } from './users';

export const BRAIN_STYLE_DIMENSIONS = 128;

/** A style "brain": user_id is the creator; is_public puts it on the marketplace. */
export const brains = pgTable(
  'brains',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    styleVector: vector('style_vector', { dimensions: BRAIN_STYLE_DIMENSIONS }),
    parameters: jsonb('parameters').$type<BrainParameters>().notNull().default({}),
    isPublic: boolean('is_public').notNull().default(false),
    priceCredits: integer('price_credits').notNull().default(0),
    ...syncColumns(),
  },
  (t) => [
    index('brains_user_id_idx').on(t.userId),
    // HNSW, not ivfflat: ivfflat trained on an empty table gives useless lists (DESIGN.md).
    index('brains_style_vector_hnsw_idx').using('hnsw', t.styleVector.op('vector_cosine_ops')),
    check('brains_price_credits_check', sql`${t.priceCredits} >= 0`),
  ],
);

export type Brain = typeof brains.$inferSelect;
export type NewBrain = typeof brains.$inferInsert;
