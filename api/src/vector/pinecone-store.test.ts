import { randomUUID } from 'node:crypto';
import { Pinecone } from '@pinecone-database/pinecone';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPineconeFake, type PineconeFake } from './pinecone-fake/pinecone-fake-server';
import { makeEntry } from './testing/semantic-entry-fixture';
import { createPineconeStore } from './pinecone-store';
import type { VectorStore } from './vector-store';
import { vectorStoreContract } from './vector-store.contract';

let fake: PineconeFake;
let store: VectorStore;
beforeAll(async () => {
  fake = await startPineconeFake({ dimension: 1536, apiKey: 'test-key' });
  const pc = new Pinecone({ apiKey: 'test-key' });
  store = createPineconeStore({ index: pc.index({ host: fake.host }), batchSize: 100 });
});
afterAll(() => fake.close());

vectorStoreContract('pinecone (real client → loopback fake)', () => store);

describe('pinecone adapter wire behaviour', () => {
  it('batches upserts: 250 records → 3 requests of ≤ 100', async () => {
    const tenantId = randomUUID();
    const before = fake.requests.get('/vectors/upsert') ?? 0;
    await store.upsert(Array.from({ length: 250 }, () => makeEntry({ tenantId })));
    expect((fake.requests.get('/vectors/upsert') ?? 0) - before).toBe(3);
    expect(await store.count(tenantId)).toBe(250);
  });

  it('surfaces a wrong dimension as the client error (the fake validates like Pinecone)', async () => {
    const pc = new Pinecone({ apiKey: 'test-key' });
    const index = pc.index({ host: fake.host });
    await expect(index.upsert({ records: [{ id: 'x', values: [1, 2, 3] }] })).rejects.toThrow();
  });

  it('rejects a wrong API key', async () => {
    const pc = new Pinecone({ apiKey: 'wrong' });
    await expect(pc.index({ host: fake.host }).describeIndexStats()).rejects.toThrow();
  });
});
