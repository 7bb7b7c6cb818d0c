import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('migrated schema', () => {
  it('has every table', async () => {
    const rows = await db.sql<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`;
    expect(rows.map((r) => r.table_name)).toEqual([
      'brains', 'characters', 'component_cache', 'credit_ledger', 'format_templates', 'media_assets',
      'processed_mutations', 'projects', 'scene_versions', 'scenes', 'semantic_cache_entries',
      'storyforge_migrations', 'tombstones', 'users',
    ]);
  });
});
