import { getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { SYNCED_TABLE_NAMES, isSyncedTableName, syncedTables } from './synced-tables';

const id = '0190f2d8-8a43-7c1e-9f3a-2b4c6d8e0f12';
const projectId = '0190f2d8-8a43-7c1e-9f3a-2b4c6d8e0f13';
const params = { lighting: 0, camera_angle: 0.5, mood: -0.5, pacing: 1, model_provider: 'runway' };

describe('syncedTables', () => {
  it('lists the seven syncable tables with SQL column names derived from Drizzle', () => {
    expect(SYNCED_TABLE_NAMES).toEqual(['users', 'format_templates', 'brains', 'projects', 'scenes', 'characters', 'scene_versions']);
    for (const name of SYNCED_TABLE_NAMES) {
      const info = syncedTables[name];
      expect(info.name).toBe(name);
      const sqlNames = Object.values(getTableColumns(info.table)).map((c) => c.name);
      expect(info.columns.map((c) => c.name)).toEqual(sqlNames);
      for (const serverOnly of ['created_at', 'updated_at', 'field_clocks']) {
        expect(info.serverOnlyColumns).toContain(serverOnly);
        expect(info.clientInsertColumns).not.toContain(serverOnly);
      }
      expect(info.clientInsertColumns).toContain('id');
      expect(info.clientUpdateColumns).not.toContain('id');
    }
    expect(syncedTables.users.serverOnlyColumns).toEqual(expect.arrayContaining(['credits_balance', 'subscription_tier']));
    expect(syncedTables.scene_versions.serverOnlyColumns).toEqual(expect.arrayContaining(['cost_usd', 'cache_layer', 'video_url']));
    expect(syncedTables.characters.columns.find((c) => c.name === 'face_embedding')?.vectorDimensions).toBe(512);
    expect(syncedTables.brains.columns.find((c) => c.name === 'style_vector')?.vectorDimensions).toBe(128);
    expect(syncedTables.scenes.columns.find((c) => c.name === 'parameters')?.isJson).toBe(true);
    expect(syncedTables.scenes.scope).toEqual({ kind: 'project', column: 'project_id' });
    expect(isSyncedTableName('credit_ledger')).toBe(false);
    expect(isSyncedTableName('scenes')).toBe(true);
  });

  it('client schemas accept a good write and refuse server-only, unknown and invalid fields', () => {
    const scene = { id, projectId, position: 'a0', title: 'Opening', parameters: params };
    expect(syncedTables.scenes.clientInsertSchema.safeParse(scene).success).toBe(true);
    expect(syncedTables.scenes.clientInsertSchema.safeParse({ ...scene, fieldClocks: {} }).success).toBe(false);
    expect(syncedTables.scenes.clientInsertSchema.safeParse({ ...scene, bogus: 1 }).success).toBe(false);
    expect(syncedTables.scenes.clientInsertSchema.safeParse({ ...scene, parameters: { ...params, pacing: 1.5 } }).success).toBe(false);
    expect(syncedTables.scenes.clientInsertSchema.safeParse({ ...scene, id: 'not-a-uuid' }).success).toBe(false);
    expect(syncedTables.scenes.clientUpdateSchema.safeParse({ title: 'Renamed' }).success).toBe(true);
    expect(syncedTables.scenes.clientUpdateSchema.safeParse({ id }).success).toBe(false);
    expect(syncedTables.users.clientUpdateSchema.safeParse({ creditsBalance: 1_000_000 }).success).toBe(false);
    expect(syncedTables.users.clientUpdateSchema.safeParse({ displayName: 'Ada' }).success).toBe(true);
    expect(syncedTables.scene_versions.clientUpdateSchema.safeParse({ costUsd: '0.0000' }).success).toBe(false);
  });

  it('vector columns: right dims accepted (Float32Array too), wrong dims / NaN refused', () => {
    const character = { id, projectId, name: 'Mara' };
    const schema = syncedTables.characters.clientInsertSchema;
    expect(schema.safeParse({ ...character, faceEmbedding: new Float32Array(512) }).success).toBe(true);
    expect(schema.safeParse({ ...character, faceEmbedding: null }).success).toBe(true);
    expect(schema.safeParse({ ...character, faceEmbedding: new Array(128).fill(0) }).success).toBe(false);
    expect(schema.safeParse({ ...character, faceEmbedding: [Number.NaN, ...new Array(511).fill(0)] }).success).toBe(false);
    const brain = { id, userId: projectId, name: 'Noir' };
    expect(syncedTables.brains.clientInsertSchema.safeParse({ ...brain, styleVector: new Array(128).fill(0.5) }).success).toBe(true);
    expect(syncedTables.brains.clientInsertSchema.safeParse({ ...brain, styleVector: new Array(512).fill(0.5) }).success).toBe(false);
  });
});
