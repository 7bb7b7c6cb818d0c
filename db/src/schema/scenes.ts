import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, real, text, uuid } from 'drizzle-orm/pg-core';
import { byteOrderedText } from './byte-ordered-text';
import type { SceneParameters } from '../validators/scene-parameters';
import { syncColumns } from './columns';
import { projects } from './projects';

export const SCENE_STATUSES = ['draft', 'generating', 'ready', 'failed'] as const;
export type SceneStatus = (typeof SCENE_STATUSES)[number];

/**
 * Order is (position, id): `position` is a fractional-indexing key, id breaks ties, so two devices
 * inserting at the same spot offline both survive in the same order everywhere. There is deliberately
 * no UNIQUE on position or sequence_number (display only): concurrent offline inserts would break it.
 *
 * current_version_id has no FK: scene_versions.scene_id already references scenes, and a cycle of FKs
 * would force deferred constraints and an insert order the sync client cannot guarantee (a version
 * may arrive before or after the scene's pointer to it). The API checks it on write.
 */
export const scenes = pgTable(
  'scenes',
  {
    id: uuid('id').primaryKey(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    position: byteOrderedText('position').notNull(),
    sequenceNumber: integer('sequence_number'),
    title: text('title').notNull().default(''),
    prompt: text('prompt').notNull().default(''),
    parameters: jsonb('parameters').$type<SceneParameters>(),
    status: text('status', { enum: SCENE_STATUSES }).notNull().default('draft'),
    durationSeconds: real('duration_seconds'),
    currentVersionId: uuid('current_version_id'),
    ...syncColumns(),
  },
  (t) => [
    index('scenes_project_position_idx').on(t.projectId, t.position, t.id),
    check('scenes_status_check', sql`${t.status} in ('draft', 'generating', 'ready', 'failed')`),
    check('scenes_position_check', sql`${t.position} <> ''`),
    check('scenes_duration_seconds_check', sql`${t.durationSeconds} is null or ${t.durationSeconds} > 0`),
  ],
);

export type Scene = typeof scenes.$inferSelect;
export type NewScene = typeof scenes.$inferInsert;
