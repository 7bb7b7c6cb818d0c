import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, numeric, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { SceneParameters } from '../validators/scene-parameters';
import { syncColumns } from './columns';
import { mediaAssets } from './media-assets';
import { projects } from './projects';
import { scenes } from './scenes';

export const CACHE_LAYERS = ['L1', 'L2', 'L3', 'L4', 'miss'] as const;
export type CacheLayer = (typeof CACHE_LAYERS)[number];

/**
 * One generated take of a scene. project_id is denormalised from the scene so the sync server can
 * scope this table by project without a join (shapes are single-table).
 */
export const sceneVersions = pgTable(
  'scene_versions',
  {
    id: uuid('id').primaryKey(),
    sceneId: uuid('scene_id')
      .notNull()
      .references(() => scenes.id, { onDelete: 'cascade' }),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    versionNumber: integer('version_number').notNull(),
    prompt: text('prompt').notNull().default(''),
    parameters: jsonb('parameters').$type<SceneParameters>(),
    videoUrl: text('video_url'),
    thumbnailUrl: text('thumbnail_url'),
    /** Added by migration 0001 (cache + media layer). */
    mediaAssetId: uuid('media_asset_id').references(() => mediaAssets.id, { onDelete: 'set null' }),
    cacheLayer: text('cache_layer', { enum: CACHE_LAYERS }),
    costUsd: numeric('cost_usd', { precision: 10, scale: 4 }),
    generationMs: integer('generation_ms'),
    ...syncColumns(),
  },
  (t) => [
    index('scene_versions_scene_id_idx').on(t.sceneId, t.versionNumber),
    index('scene_versions_project_id_idx').on(t.projectId),
    check('scene_versions_cache_layer_check', sql`${t.cacheLayer} in ('L1', 'L2', 'L3', 'L4', 'miss')`),
    check('scene_versions_cost_usd_check', sql`${t.costUsd} >= 0`),
    check('scene_versions_generation_ms_check', sql`${t.generationMs} >= 0`),
  ],
);

export type SceneVersion = typeof sceneVersions.$inferSelect;
export type NewSceneVersion = typeof sceneVersions.$inferInsert;
