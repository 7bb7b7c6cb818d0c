import { index, jsonb, pgTable, text, uuid, vector } from 'drizzle-orm/pg-core';
import type { CharacterAppearance } from '../validators/character-appearance';
import { syncColumns } from './columns';
import { projects } from './projects';

export const FACE_EMBEDDING_DIMENSIONS = 512;

export const characters = pgTable(
  'characters',
  {
    id: uuid('id').primaryKey(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    appearance: jsonb('appearance').$type<CharacterAppearance>().notNull().default({}),
    faceEmbedding: vector('face_embedding', { dimensions: FACE_EMBEDDING_DIMENSIONS }),
    referenceImageUrl: text('reference_image_url'),
    ...syncColumns(),
  },
  (t) => [
    index('characters_project_id_idx').on(t.projectId),
    index('characters_face_embedding_hnsw_idx').using('hnsw', t.faceEmbedding.op('vector_cosine_ops')),
  ],
);

export type Character = typeof characters.$inferSelect;
export type NewCharacter = typeof characters.$inferInsert;
