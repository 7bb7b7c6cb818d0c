import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { afterAll, beforeAll } from 'vitest';
import { createPgVectorStore } from './pgvector-store';
import type { VectorStore } from './vector-store';
import { vectorStoreContract } from './vector-store.contract';

let db: TestDatabase;
let store: VectorStore;
beforeAll(async () => {
  db = await createTestDatabase();
  store = createPgVectorStore({ sql: db.sql });
});
afterAll(() => db.drop());

vectorStoreContract('pgvector', () => store);
