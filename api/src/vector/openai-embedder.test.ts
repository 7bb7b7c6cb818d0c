import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbedderError } from './embedder-error';
import { checkedVectors, createOpenAiEmbedder, type OpenAiEmbedderOptions } from './openai-embedder';
import { fakeEmbedding, startOpenAiEmbeddingsFake, type OpenAiEmbeddingsFake } from './openai-fake/openai-embeddings-fake-server';

const KEY = 'sk-test-key';
let fake: OpenAiEmbeddingsFake;
let reversed: OpenAiEmbeddingsFake;
beforeAll(async () => {
  fake = await startOpenAiEmbeddingsFake({ apiKey: KEY });
  reversed = await startOpenAiEmbeddingsFake({ apiKey: KEY, reverseOrder: true });
});
afterAll(async () => {
  await fake.close();
  await reversed.close();
});

const embedder = (extra: Partial<OpenAiEmbedderOptions> = {}) => createOpenAiEmbedder({ apiKey: KEY, baseURL: fake.baseURL, ...extra });
const newRequests = async <T>(target: OpenAiEmbeddingsFake, run: () => Promise<T>) => {
  const before = target.requests.length;
  const result = await run();
  return { result, requests: target.requests.slice(before) };
};

describe('OpenAI embedder (real openai client → loopback fake)', () => {
  it('keeps an id and version of its own: the model, and the dimensions', () => {
    const e = embedder({ model: 'text-embedding-3-large', dimensions: 1024 });
    expect([e.id, e.version, e.dimensions]).toEqual(['openai:text-embedding-3-large', '1-d1024', 1024]);
    expect(embedder().id).toBe('openai:text-embedding-3-small');
  });

  it('round trip: same text → same vector, in input order across batches (the client asks for base64 and decodes it)', async () => {
    const texts = Array.from({ length: 7 }, (_, i) => `prompt number ${i} on a rainy pier`);
    const { result, requests } = await newRequests(fake, () => embedder({ batchSize: 3 }).embed([...texts, texts[0] as string]));
    expect(requests.map((r) => r.inputs.length)).toEqual([3, 3, 2]);
    expect(requests.every((r) => r.encodingFormat === 'base64' && r.dimensions === 1536 && r.model === 'text-embedding-3-small')).toBe(true);
    expect(result).toHaveLength(8);
    result.slice(0, 7).forEach((v, i) => expect(v).toEqual(fakeEmbedding(texts[i] as string, 1536)));
    expect(result[7]).toEqual(result[0]);
    expect(result[1]).not.toEqual(result[0]);
  });

  it('places vectors by their index, not by their order in the answer', async () => {
    const texts = ['red car at night', 'blue boat at dawn', 'green field at noon'];
    const out = await createOpenAiEmbedder({ apiKey: KEY, baseURL: reversed.baseURL }).embed(texts);
    expect(out).toEqual(texts.map((t) => fakeEmbedding(t, 1536)));
  });

  it('the fake also speaks encoding_format "float" to the client (what an explicit float request gets)', async () => {
    const client = new OpenAI({ apiKey: KEY, baseURL: fake.baseURL, maxRetries: 0 });
    const res = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a lighthouse'], dimensions: 8, encoding_format: 'float' });
    expect(Float32Array.from(res.data[0]?.embedding ?? [])).toEqual(fakeEmbedding('a lighthouse', 8));
    expect(fake.requests.at(-1)?.encodingFormat).toBe('float');
  });

  it("retries 429 and 500 with the client's own retries, then succeeds", async () => {
    fake.failNext(1, 429);
    fake.failNext(1, 500);
    const { result, requests } = await newRequests(fake, () => embedder({ maxRetries: 2 }).embed(['storm over the harbour']));
    expect(requests.map((r) => r.status)).toEqual([429, 500, 200]);
    expect(result[0]).toEqual(fakeEmbedding('storm over the harbour', 1536));
  });

  it('gives up after maxRetries with a request_failed error naming the status', async () => {
    fake.failNext(2, 429);
    const { result, requests } = await newRequests(fake, () => embedder({ maxRetries: 1 }).embed(['x']).catch((e: unknown) => e));
    expect(requests.map((r) => r.status)).toEqual([429, 429]);
    expect(result).toBeInstanceOf(EmbedderError);
    expect(result).toMatchObject({ code: 'request_failed', message: expect.stringMatching(/HTTP 429/) });
  });

  it('a refused key → an unauthorized error that says to check OPENAI_API_KEY, not retried', async () => {
    const { result: err, requests } = await newRequests(fake, () =>
      createOpenAiEmbedder({ apiKey: 'sk-wrong', baseURL: fake.baseURL, maxRetries: 2 }).embed(['x']).catch((e: unknown) => e),
    );
    expect(err).toBeInstanceOf(EmbedderError);
    expect(err).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/401.*OPENAI_API_KEY/) });
    expect(requests.map((r) => r.status)).toEqual([401]);
  });

  it.each([
    ['wrong-dimension', /vector 0 has 1535 dimensions, expected 1536/],
    ['nan', /vector 0 has a non-finite value \(NaN\) at 0/],
    ['missing-vector', /1 vectors for 2 inputs/],
  ] as const)('a %s answer → invalid_response and no vectors at all', async (corruption, message) => {
    fake.corruptNext(corruption);
    let returned: Float32Array[] | undefined;
    const err = await embedder()
      .embed(['first prompt', 'second prompt'])
      .then((v) => {
        returned = v;
      })
      .catch((e: unknown) => e);
    expect(returned).toBeUndefined();
    expect(err).toBeInstanceOf(EmbedderError);
    expect(err).toMatchObject({ code: 'invalid_response', message: expect.stringMatching(message) });
  });

  it('a NaN in a float answer (null in JSON) is refused too', async () => {
    fake.corruptNext('nan');
    const client = new OpenAI({ apiKey: KEY, baseURL: fake.baseURL, maxRetries: 0 });
    const res = await client.embeddings.create({ model: 'm', input: ['x'], dimensions: 4, encoding_format: 'float' });
    expect(res.data[0]?.embedding[0]).toBeNull();
    // The same check the embedder runs on every answer.
    expect(() => checkedVectors(res.data, 1, 4, 'm')).toThrow(/non-finite value \(null\) at 0/);
  });
});
