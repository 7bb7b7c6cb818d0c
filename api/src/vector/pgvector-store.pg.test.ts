import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { afterAll, beforeAll } from 'vitest';
import { createPgVectorStore } from './pgvector-store';
import type { VectorStore } from './vector-store';
import { vectorStoreContract } from './vector-store.contract';

// One database per suite: the contract's fixture vectors share axis 0 and are otherwise orthogonal, a
// hub-and-spoke geometry in which HNSW's neighbour heuristic gives most spokes no incoming edge. Rows
// left by one suite would make the other's HNSW graph unreachable around its own rows (seen: a 2-row
// scope answered with 1 row even with iterative scan and ef_search 1000), which is a property of that
// synthetic data, not of the store. HNSW recall on realistic (clustered) data: pgvector-scoped-query.pg.test.ts.
let exactDb: TestDatabase;
let hnswDb: TestDatabase;
let store: VectorStore;
let hnswStore: VectorStore;
beforeAll(async () => {
  exactDb = await createTestDatabase();
  hnswDb = await createTestDatabase();
  store = createPgVectorStore({ sql: exactDb.sql });
  // scanScopeLimit 0 sends every non-empty scope down the HNSW + iterative-scan path.
  hnswStore = createPgVectorStore({ sql: hnswDb.sql, scanScopeLimit: 0 });
});
afterAll(async () => {
  await exactDb.drop();
  await hnswDb.drop();
});

vectorStoreContract('pgvector (signature scan within scope)', () => store);
vectorStoreContract('pgvector (HNSW path)', () => hnswStore);
