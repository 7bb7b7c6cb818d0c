// The composed server with both hosted L2 adapters switched on by environment, as an operator would:
// STORYFORGE_VECTOR_STORE=pinecone (real Pinecone client → loopback fake) and STORYFORGE_EMBEDDER=openai
// (real openai client → loopback embeddings fake). A miss writes its L2 entry to Pinecone, not to
// semantic_cache_entries, with the vector the embeddings fake computed; a reworded repeat is an L2 hit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Pinecone } from '@pinecone-database/pinecone';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testRedisUrl, type TestDatabase } from '@storyforge/db/testing';
import { issueToken } from '../auth/tokens';
import { grantCredits } from '../ledger/credits';
import { fakeEmbedding, startOpenAiEmbeddingsFake, type OpenAiEmbeddingsFake } from '../vector/openai-fake/openai-embeddings-fake-server';
import { startPineconeFake, type PineconeFake } from '../vector/pinecone-fake/pinecone-fake-server';
import { readServerConfig } from './server-config';
import { startServer, type RunningServer } from './start-server';

const SECRET = 'l2-adapters-test-secret-0123456789abcdef';
const OPENAI_KEY = 'sk-adapters-test';
const PINECONE_KEY = 'pc-adapters-test';
const ALICE = randomUUID();
const PROMPT = 'a detective walks through neon rain at night';
// Same words, another order: a different L1 key (normalised text keeps word order), the same fake vector.
const REWORDED = 'at night a detective walks through neon rain';

let db: TestDatabase;
let server: RunningServer | undefined;
let pineconeFake: PineconeFake;
let embeddingsFake: OpenAiEmbeddingsFake;
let dataDir: string;
let token: string;

/** The operator's environment, as an object: nothing is read from (or leaked into) process.env. */
const operatorEnv = (extra: Record<string, string> = {}) => ({
  STORYFORGE_PORT: '0',
  STORYFORGE_DEV_MODE: 'false',
  STORYFORGE_JWT_SECRET: SECRET,
  STORYFORGE_EMBEDDER: 'openai',
  OPENAI_API_KEY: OPENAI_KEY,
  OPENAI_BASE_URL: embeddingsFake.baseURL,
  STORYFORGE_VECTOR_STORE: 'pinecone',
  PINECONE_API_KEY: PINECONE_KEY,
  PINECONE_INDEX_HOST: pineconeFake.host,
  ...extra,
});

beforeAll(async () => {
  pineconeFake = await startPineconeFake({ dimension: 1536, apiKey: PINECONE_KEY });
  embeddingsFake = await startOpenAiEmbeddingsFake({ apiKey: OPENAI_KEY });
  db = await createTestDatabase();
  await db.sql`insert into users (id, email) values (${ALICE}, 'alice@example.test')`;
  dataDir = mkdtempSync(join(tmpdir(), 'storyforge-l2-adapters-'));
  const env = operatorEnv();
  server = await startServer({
    config: readServerConfig({ databaseUrl: db.url, redisUrl: testRedisUrl(), dataDir, env }),
    env,
    logger: pino({ level: 'silent' }),
    slotName: `slot_${db.name}`,
  });
  token = await issueToken({ userId: ALICE, secret: SECRET, now: Date.now() });
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
  await pineconeFake?.close();
  await embeddingsFake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const url = (path: string) => `${(server as RunningServer).url}${path}`;

async function createProjectAndScene(): Promise<{ projectId: string; sceneId: string }> {
  const projectId = randomUUID();
  const sceneId = randomUUID();
  const hlc = () => `${String(Date.now()).padStart(15, '0')}-000000-alice-tab`;
  const created = await fetch(url('/v1/mutations'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      clientId: 'alice-tab',
      mutations: [
        { mutationId: randomUUID(), table: 'projects', op: 'insert', id: projectId, fields: { title: 'Noir' }, hlc: hlc() },
        { mutationId: randomUUID(), table: 'scenes', op: 'insert', id: sceneId, fields: { project_id: projectId, position: 'a0', title: 'Rain' }, hlc: hlc() },
      ],
    }),
  });
  expect(created.status).toBe(200);
  return { projectId, sceneId };
}

describe('composed server with STORYFORGE_VECTOR_STORE=pinecone and STORYFORGE_EMBEDDER=openai', () => {
  it('refuses to start against a Pinecone index of another dimension, saying what to fix', async () => {
    const small = await startPineconeFake({ dimension: 768, apiKey: PINECONE_KEY });
    try {
      const env = operatorEnv({ PINECONE_INDEX_HOST: small.host });
      const starting = startServer({ config: readServerConfig({ databaseUrl: db.url, redisUrl: testRedisUrl(), dataDir, env }), env, logger: pino({ level: 'silent' }) });
      await expect(starting).rejects.toThrow(/^Pinecone index PINECONE_INDEX_HOST=\S+ has dimension 768 but embedder openai:text-embedding-3-small produces 1536: .*dimension 1536/);
    } finally {
      await small.close();
    }
  });

  it('a miss writes its L2 entry to Pinecone with the embeddings fake vector; the reworded repeat is an L2 hit', async () => {
    const { projectId, sceneId } = await createProjectAndScene();
    await db.sql.begin((tx) => grantCredits({ tx, userId: ALICE, amount: 1000, reason: 'grant' }));
    const generate = async (prompt: string) => {
      const res = await fetch(url('/v1/generations'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ projectId, sceneId, prompt, parameters: { lighting: -0.5, camera_angle: 0.2, mood: -0.8, pacing: 0.1, model_provider: 'simulated' } }),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { layer: string; creditsCharged: number };
    };
    const embeddingsBefore = embeddingsFake.requests.length;

    const first = await generate(PROMPT);
    expect(first.layer).not.toMatch(/^L[12]$/);
    expect(first.creditsCharged).toBeGreaterThan(0);

    // The entry is in Alice's Pinecone namespace (one namespace per user), read back with the real client.
    const index = new Pinecone({ apiKey: PINECONE_KEY }).index({ host: pineconeFake.host });
    expect((await index.describeIndexStats()).namespaces?.[ALICE]?.recordCount).toBe(1);
    const [stored] = (await index.namespace(ALICE).query({ vector: Array.from(fakeEmbedding(PROMPT, 1536)), topK: 1, includeValues: true, includeMetadata: true })).matches;
    expect(stored?.metadata).toMatchObject({ prompt: PROMPT, embedderId: 'openai:text-embedding-3-small', embedderVersion: '1-d1536' });
    // Exactly the embeddings fake's vector for the prompt (the hashing embedder would give another one).
    expect(Float32Array.from(stored?.values ?? [])).toEqual(fakeEmbedding(PROMPT, 1536));
    // …and nothing in pgvector's table.
    const [pg] = await db.sql<{ count: number }[]>`select count(*)::int as count from semantic_cache_entries`;
    expect(pg?.count).toBe(0);

    const second = await generate(REWORDED);
    expect(second.layer).toBe('L2');
    expect(second.creditsCharged).toBe(0);
    expect((await index.describeIndexStats()).namespaces?.[ALICE]?.recordCount).toBe(1);

    const calls = embeddingsFake.requests.slice(embeddingsBefore);
    expect(calls.map((r) => [r.inputs, r.status, r.dimensions, r.model])).toEqual([
      [[PROMPT], 200, 1536, 'text-embedding-3-small'],
      [[REWORDED], 200, 1536, 'text-embedding-3-small'],
    ]);
  });

  it('the L2 hit was counted on the Pinecone entry (recordHit through the client)', async () => {
    const index = new Pinecone({ apiKey: PINECONE_KEY }).index({ host: pineconeFake.host });
    const [match] = (await index.namespace(ALICE).query({ vector: Array.from(fakeEmbedding(PROMPT, 1536)), topK: 1, includeMetadata: true })).matches;
    expect(match?.metadata?.hitCount).toBe(1);
  });

  it('an embedding service that keeps failing answers 502 upstream_failed, charging and caching nothing', async () => {
    const { projectId, sceneId } = await createProjectAndScene();
    const [before] = await db.sql<{ credits_balance: number }[]>`select credits_balance from users where id = ${ALICE}`;
    const stats = async () => (await new Pinecone({ apiKey: PINECONE_KEY }).index({ host: pineconeFake.host }).describeIndexStats()).namespaces?.[ALICE]?.recordCount;
    const entriesBefore = await stats();
    // The first attempt and both of the client's retries fail.
    embeddingsFake.failNext(3, 500);
    const res = await fetch(url('/v1/generations'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ projectId, sceneId, prompt: 'a lighthouse keeper climbs the stairs at dawn', parameters: { lighting: 0, camera_angle: 0, mood: 0, pacing: 0, model_provider: 'simulated' } }),
    });
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ code: 'upstream_failed', details: { service: 'embedder', embedder: 'openai:text-embedding-3-small', reason: 'request_failed' } });
    const [after] = await db.sql<{ credits_balance: number }[]>`select credits_balance from users where id = ${ALICE}`;
    expect(after?.credits_balance).toBe(before?.credits_balance);
    expect(await stats()).toBe(entriesBefore);
  });
});
