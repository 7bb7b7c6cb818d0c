import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HASHING_EMBEDDER_ID } from '../vector/hashing-embedder';
import { startPineconeFake, type PineconeFake } from '../vector/pinecone-fake/pinecone-fake-server';
import { createEmbedderFromConfig, openPineconeIndex } from './semantic-adapters';

let fake1536: PineconeFake;
let fake768: PineconeFake;
beforeAll(async () => {
  fake1536 = await startPineconeFake({ dimension: 1536, apiKey: 'pc-key' });
  fake768 = await startPineconeFake({ dimension: 768, apiKey: 'pc-key' });
});
afterAll(async () => {
  await fake1536.close();
  await fake768.close();
});

describe('L2 adapters from config', () => {
  it('builds the hashing or the OpenAI embedder, both 1536-d', () => {
    expect(createEmbedderFromConfig({ kind: 'hashing' })).toMatchObject({ id: HASHING_EMBEDDER_ID, dimensions: 1536 });
    expect(createEmbedderFromConfig({ kind: 'openai', apiKey: 'sk', model: 'text-embedding-3-large' })).toMatchObject({
      id: 'openai:text-embedding-3-large',
      version: '1-d1536',
      dimensions: 1536,
    });
  });

  it('opens a Pinecone index (real client, loopback fake) whose dimension matches the embedder', async () => {
    const embedder = createEmbedderFromConfig({ kind: 'hashing' });
    const index = await openPineconeIndex({ config: { kind: 'pinecone', apiKey: 'pc-key', index: { host: fake1536.host } }, embedder });
    expect((await index.describeIndexStats()).dimension).toBe(1536);
  });

  it('refuses an index of another dimension with one line saying what to fix', async () => {
    const embedder = createEmbedderFromConfig({ kind: 'openai', apiKey: 'sk' });
    const err = await openPineconeIndex({ config: { kind: 'pinecone', apiKey: 'pc-key', index: { host: fake768.host } }, embedder }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toBe(
      `Pinecone index PINECONE_INDEX_HOST=${fake768.host} has dimension 768 but embedder openai:text-embedding-3-small produces 1536: ` +
        'point it at an index created with dimension 1536 and metric cosine',
    );
  });

  it('refuses a key the index rejects, naming PINECONE_API_KEY', async () => {
    const embedder = createEmbedderFromConfig({ kind: 'hashing' });
    const err = await openPineconeIndex({ config: { kind: 'pinecone', apiKey: 'wrong', index: { host: fake1536.host } }, embedder }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^Pinecone index check failed for PINECONE_INDEX_HOST=.* \(check PINECONE_API_KEY and the index\): [^\n]+$/);
  });
});
