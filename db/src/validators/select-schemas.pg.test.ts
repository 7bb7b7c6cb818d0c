// Rows as Postgres returns them (defaults filled in, numeric as string, vectors as number[]) pass the
// select schemas, and rows the client schemas accept are accepted by Postgres: the two sides agree.
import { drizzle } from 'drizzle-orm/postgres-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { brains } from '../schema/brains';
import { characters } from '../schema/characters';
import { formatTemplates } from '../schema/format-templates';
import { projects } from '../schema/projects';
import { sceneVersions } from '../schema/scene-versions';
import { scenes } from '../schema/scenes';
import { users } from '../schema/users';
import { syncedTables } from './synced-tables';

let db: TestDatabase;
let orm: ReturnType<typeof drizzle>;
beforeAll(async () => {
  db = await createTestDatabase();
  orm = drizzle({ client: db.sql });
});
afterAll(() => db.drop());

const uuid = (n: number) => `0190f2d8-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('validators against real rows', () => {
  it('client-validated inserts are stored, and every stored row passes its select schema', async () => {
    const t = syncedTables;
    const user = t.users.clientInsertSchema.parse({ id: uuid(1), displayName: 'Ada', settings: { theme: 'dark' } });
    await orm.insert(users).values({ ...user, id: uuid(1), email: 'ada@example.com' });
    const template = t.format_templates.clientInsertSchema.parse({
      id: uuid(2),
      creatorId: uuid(1),
      name: 'Three acts',
      beats: [{ key: 'setup', name: 'Setup', description: '', act: 1 }],
    });
    await orm.insert(formatTemplates).values(template);
    const brain = t.brains.clientInsertSchema.parse({ id: uuid(3), userId: uuid(1), name: 'Noir', styleVector: new Float32Array(128).fill(0.25), parameters: { mood: -0.8 } });
    await orm.insert(brains).values(brain);
    const project = t.projects.clientInsertSchema.parse({ id: uuid(4), userId: uuid(1), title: 'Pilot', formatTemplateId: uuid(2), brainId: uuid(3), settings: { fps: 24, aspect_ratio: '16:9' } });
    await orm.insert(projects).values(project);
    const scene = t.scenes.clientInsertSchema.parse({
      id: uuid(5),
      projectId: uuid(4),
      position: 'a0',
      parameters: { lighting: 1, camera_angle: -1, mood: 0, pacing: 0.5, model_provider: 'kling', duration_seconds: 8 },
    });
    await orm.insert(scenes).values(scene);
    const character = t.characters.clientInsertSchema.parse({ id: uuid(6), projectId: uuid(4), name: 'Mara', faceEmbedding: new Array(512).fill(0.01), appearance: { age: 30 } });
    await orm.insert(characters).values(character);
    const version = t.scene_versions.clientInsertSchema.parse({ id: uuid(7), sceneId: uuid(5), projectId: uuid(4), versionNumber: 1 });
    // The server fills in what the client may not.
    await orm.insert(sceneVersions).values({ ...version, costUsd: '0.2', cacheLayer: 'L2', generationMs: 1200 });

    for (const [name, table] of [
      ['users', users],
      ['format_templates', formatTemplates],
      ['brains', brains],
      ['projects', projects],
      ['scenes', scenes],
      ['characters', characters],
      ['scene_versions', sceneVersions],
    ] as const) {
      const rows = await orm.select().from(table);
      expect(rows.length, name).toBe(1);
      const parsed = syncedTables[name].selectSchema.safeParse(rows[0]);
      expect(parsed.error?.issues ?? [], name).toEqual([]);
    }
    const [stored] = await orm.select({ costUsd: sceneVersions.costUsd }).from(sceneVersions);
    expect(stored?.costUsd).toBe('0.2000');
  });
});
