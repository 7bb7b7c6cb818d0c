import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { afterAll, beforeAll } from 'vitest';
import { createPgVectorStore } from './pgvector-store';
import type { VectorStore } from './vector-store';
import { vectorStoreContract } from './vector-store.contract';

let db: TestDatabase;
let store: VectorStore;
let hnswStore: VectorStore;
beforeAll(async () => {
  db = await createTestDatabase();
  store = createPgVectorStore({ sql: db.sql });
  // exactScopeLimit 0 forces every query down the HNSW + iterative-scan path.
  hnswStore = createPgVectorStore({ sql: db.sql, exactScopeLimit: 0 });
});
afterAll(() => db.drop());

vectorStoreContract('pgvector (exact within scope)', () => store);
vectorStoreContract('pgvector (HNSW path)', () => hnswStore);
