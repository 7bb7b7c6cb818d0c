import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { databaseStats } from '../backup/table-stats';
import { characters } from '../schema/characters';
import { projects } from '../schema/projects';
import { scenes } from '../schema/scenes';
import { users } from '../schema/users';
import { copyRows } from './copy-rows';
import { ScaleData } from './scale-data';

const USER = ['id', 'email', 'displayName', 'createdAt', 'updatedAt'] as const;
const PROJECT = ['id', 'userId', 'title', 'status', 'settings', 'createdAt', 'updatedAt'] as const;
const SCENE = ['id', 'projectId', 'position', 'sequenceNumber', 'title', 'prompt', 'parameters', 'status', 'durationSeconds', 'currentVersionId', 'createdAt', 'updatedAt'] as const;
const CHARACTER = ['id', 'projectId', 'name', 'appearance', 'faceEmbedding', 'referenceImageUrl', 'createdAt', 'updatedAt'] as const;

describe('copyRows', () => {
  let text: TestDatabase;
  let binary: TestDatabase;
  const data = new ScaleData('copy-test', 150);
  beforeAll(async () => {
    [text, binary] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(() => Promise.all([text.drop(), binary.drop()]));

  it('stores identical rows through text and binary COPY, including NULLs, escapes, unicode and vectors', async () => {
    for (const [db, format] of [[text, 'text'], [binary, 'binary']] as const) {
      const sql = db.sql;
      await copyRows({ sql, table: users, columns: USER, rows: [data.user(0), data.user(1)], format });
      await copyRows({ sql, table: projects, columns: PROJECT, rows: [data.project(0), data.project(1)], format });
      const odd = { ...[...data.scenes(0)][0]!, id: '019b76da-a800-7000-8000-000000000001', title: 'tab\there, newline\nthere, back\\slash, ünï ✓', durationSeconds: null };
      const sent = await copyRows({ sql, table: scenes, columns: SCENE, rows: [...data.scenes(0), ...data.scenes(1), odd], format, chunkRows: 7 });
      expect(sent).toBe(151);
      await copyRows({ sql, table: characters, columns: CHARACTER, rows: [...data.characters(0), ...data.characters(1)], format });
    }
    const [a, b] = await Promise.all([databaseStats(text.sql), databaseStats(binary.sql)]);
    expect(b).toEqual(a);
    const [row] = await binary.sql<{ title: string; duration_seconds: number | null }[]>`select title, duration_seconds from scenes where id = '019b76da-a800-7000-8000-000000000001'`;
    expect(row).toEqual({ title: 'tab\there, newline\nthere, back\\slash, ünï ✓', duration_seconds: null });
    expect(a.find((t) => t.table === 'characters')?.rows).toBe(150);
  });

  it('rejects (instead of hanging) when the server refuses the last rows, and keeps nothing in a transaction', async () => {
    await copyRows({ sql: binary.sql, table: users, columns: USER, rows: [data.user(7)] });
    const before = await binary.sql<{ n: number }[]>`select count(*)::int as n from users`;
    const duplicate = { ...data.user(7), id: '019b76da-a800-7000-8000-0000000000ff' }; // same email
    const error = await binary.sql
      .begin((tx) => copyRows({ sql: tx, table: users, columns: USER, rows: [data.user(8), duplicate] }))
      .catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('23505');
    expect(await binary.sql`select count(*)::int as n from users`).toEqual(before);
  });
});
