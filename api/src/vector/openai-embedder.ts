import OpenAI from 'openai';
import type { Embedder } from './embedder';
import { EmbedderError } from './embedder-error';

export const OPENAI_DEFAULT_EMBEDDING_MODEL = 'text-embedding-3-small';
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/**
 * Inputs per request. OpenAI caps one embeddings request at 2048 inputs (and 300k tokens in total); 256
 * short prompts stay far below both while a cache warm-up still needs few round trips.
 */
export const OPENAI_DEFAULT_EMBEDDING_BATCH = 256;
const OPENAI_MAX_EMBEDDING_BATCH = 2048;

export interface OpenAiEmbedderOptions {
  apiKey: string;
  /** Default text-embedding-3-small. */
  model?: string;
  /** Default https://api.openai.com/v1 (an OpenAI-compatible endpoint also works). */
  baseURL?: string;
  /** Requested with every call (text-embedding-3-* shorten natively); default 1536, the L2 column's size. */
  dimensions?: number;
  /** Inputs per request, 1..2048; default 256. */
  batchSize?: number;
  /** The client's own retries of 408/409/429/5xx and connection errors, with its backoff; default 2. */
  maxRetries?: number;
  /** Per attempt; default 30 s (the client's own default is 10 min, far too long for a cache lookup). */
  timeoutMs?: number;
}

/**
 * Hosted semantic embedder on the official `openai` client (`client.embeddings.create`). Its id
 * (`openai:<model>`) differs from the hashing embedder's and its version carries the dimensions, so L2
 * entries written by another embedder or size are never matched. Every response is checked (one finite
 * vector of `dimensions` per input, by index) before anything is returned.
 *
 * @example
 * const embedder = createOpenAiEmbedder({ apiKey: process.env.OPENAI_API_KEY ?? '' });
 * const [vector] = await embedder.embed(['a detective walks through neon rain']);
 */
export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const model = options.model ?? OPENAI_DEFAULT_EMBEDDING_MODEL;
  const dimensions = options.dimensions ?? 1536;
  const batchSize = options.batchSize ?? OPENAI_DEFAULT_EMBEDDING_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > OPENAI_MAX_EMBEDDING_BATCH) {
    throw new Error(`OpenAI embedder batchSize ${batchSize} must be an integer in 1..${OPENAI_MAX_EMBEDDING_BATCH}`);
  }
  if (!Number.isInteger(dimensions) || dimensions < 1) throw new Error(`OpenAI embedder dimensions ${dimensions} must be a positive integer`);
  const client = new OpenAI({
    apiKey: options.apiKey,
    // Always explicit: left undefined, the client would read OPENAI_BASE_URL from process.env behind our config.
    baseURL: options.baseURL ?? OPENAI_DEFAULT_BASE_URL,
    maxRetries: options.maxRetries ?? 2,
    timeout: options.timeoutMs ?? 30_000,
  });

  async function embedBatch(input: string[]): Promise<Float32Array[]> {
    let data: ReadonlyArray<{ index: number; embedding: ReadonlyArray<unknown> }>;
    try {
      // No encoding_format: the client asks for base64 (a quarter of the JSON size) and decodes it to numbers.
      data = (await client.embeddings.create({ model, input, dimensions })).data;
    } catch (err) {
      throw requestError(err, model);
    }
    return checkedVectors(data, input.length, dimensions, model);
  }

  return {
    id: `openai:${model}`,
    version: `1-d${dimensions}`,
    dimensions,
    async embed(texts) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) out.push(...(await embedBatch(texts.slice(i, i + batchSize))));
      return out;
    },
  };
}

function requestError(err: unknown, model: string): EmbedderError {
  if (err instanceof OpenAI.AuthenticationError) {
    return new EmbedderError('unauthorized', `OpenAI embeddings (${model}) refused the API key (HTTP 401): check OPENAI_API_KEY. ${err.message}`, { cause: err });
  }
  const detail = err instanceof Error ? err.message : String(err);
  const status = err instanceof OpenAI.APIError && err.status !== undefined ? ` (HTTP ${err.status})` : '';
  return new EmbedderError('request_failed', `OpenAI embeddings (${model}) request failed${status}: ${detail}`, { cause: err });
}

/**
 * One vector per input, placed by its `index` (the API documents the index, not the order), each exactly
 * `dimensions` finite numbers and not all zero (a zero vector has no direction: cosine is undefined).
 */
export function checkedVectors(
  data: ReadonlyArray<{ index: number; embedding: ReadonlyArray<unknown> }>,
  count: number,
  dimensions: number,
  model: string,
): Float32Array[] {
  const bad = (what: string) => new EmbedderError('invalid_response', `OpenAI embeddings (${model}) answered an unusable response: ${what}`);
  if (!Array.isArray(data) || data.length !== count) throw bad(`${Array.isArray(data) ? data.length : 'no'} vectors for ${count} inputs`);
  const out: (Float32Array | undefined)[] = new Array<Float32Array | undefined>(count).fill(undefined);
  for (const item of data) {
    const { index, embedding } = item;
    if (!Number.isInteger(index) || index < 0 || index >= count) throw bad(`vector index ${String(index)} is outside 0..${count - 1}`);
    if (out[index] !== undefined) throw bad(`two vectors for input ${index}`);
    if (!Array.isArray(embedding) || embedding.length !== dimensions) {
      throw bad(`vector ${index} has ${Array.isArray(embedding) ? embedding.length : 'no'} dimensions, expected ${dimensions}`);
    }
    const vec = new Float32Array(dimensions);
    let nonZero = false;
    for (let d = 0; d < dimensions; d++) {
      const x: unknown = embedding[d];
      // Checked after the float32 conversion too: a finite double beyond ±3.4e38 becomes Infinity there.
      if (typeof x === 'number') vec[d] = x;
      if (typeof x !== 'number' || !Number.isFinite(vec[d])) throw bad(`vector ${index} has a non-finite value (${String(x)}) at ${d}`);
      if (x !== 0) nonZero = true;
    }
    if (!nonZero) throw bad(`vector ${index} is all zeros`);
    out[index] = vec;
  }
  // Length matched and indexes are unique and in range, so every slot is filled.
  return out as Float32Array[];
}
