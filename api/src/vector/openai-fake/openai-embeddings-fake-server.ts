import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A deliberately broken answer, to prove the embedder refuses it. */
export type EmbeddingsCorruption = 'wrong-dimension' | 'nan' | 'missing-vector';

export interface EmbeddingsFakeRequest {
  model: string;
  inputs: string[];
  dimensions: number;
  encodingFormat: 'float' | 'base64';
  status: number;
}

export interface OpenAiEmbeddingsFake {
  /** `http://127.0.0.1:PORT/v1` — pass as the client's `baseURL` (OPENAI_BASE_URL). */
  baseURL: string;
  /** Every POST /v1/embeddings in order, failed ones too, so tests can assert batching and retries. */
  requests: EmbeddingsFakeRequest[];
  /** The next `count` requests answer `status` (with `retry-after-ms`, as OpenAI sends, so retries are quick). */
  failNext(count: number, status: 429 | 500): void;
  /** The next request answers 200 with `corruption` applied to its first vector (or its list). */
  corruptNext(corruption: EmbeddingsCorruption): void;
  close(): Promise<void>;
}

export interface OpenAiEmbeddingsFakeOptions {
  apiKey: string;
  /** Used when a request names no `dimensions`; default 1536. */
  defaultDimensions?: number;
  /** Answer `data` in reverse order (the API documents `index`, not the order), to prove vectors are placed by index. */
  reverseOrder?: boolean;
}

/**
 * Deterministic stand-in for OpenAI's text → vector: a bag of lowercase words, each hashed to a signed
 * bucket, L2-normalised. Same text → same vector; reordered words → the same vector (so a test can make a
 * paraphrase that misses L1 and hits L2); different words → a different direction.
 */
export function fakeEmbedding(text: string, dimensions: number): Float32Array {
  const vec = new Float32Array(dimensions);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const w of words) {
    const h = createHash('sha256').update(w).digest();
    const i = h.readUInt32BE(0) % dimensions;
    vec[i] = (vec[i] as number) + (h.readUInt8(4) & 1 ? -1 : 1);
  }
  let norm = 0;
  for (const x of vec) norm += x * x;
  // No words (or cancelling ones): a fixed unit vector, since a real model never answers a zero vector.
  if (norm === 0) {
    vec[0] = 1;
    return vec;
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < dimensions; i++) vec[i] = (vec[i] as number) / norm;
  return vec;
}

/**
 * A loopback stand-in for OpenAI's POST /v1/embeddings, speaking what the official `openai` client sends
 * and parses: bearer auth (401 `invalid_api_key` otherwise; checked after the body so it is logged), `input` as a string or a list of strings,
 * `dimensions`, and `encoding_format` "float" (JSON numbers) or "base64" (little-endian float32 bytes, what
 * the client asks for by default and decodes itself). Errors use OpenAI's `{ error: { message, type, code } }`.
 * Test-only; the real client library is what the embedder exercises.
 */
export async function startOpenAiEmbeddingsFake(options: OpenAiEmbeddingsFakeOptions): Promise<OpenAiEmbeddingsFake> {
  const requests: EmbeddingsFakeRequest[] = [];
  const failures: Array<429 | 500> = [];
  const corruptions: EmbeddingsCorruption[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method !== 'POST' || url.pathname !== '/v1/embeddings') {
      return sendError(res, 404, 'invalid_request_error', 'unknown_url', `Unknown request URL: ${req.method} ${url.pathname}`);
    }
    const body = await readJson(req);
    const inputs = typeof body.input === 'string' ? [body.input] : body.input;
    if (!Array.isArray(inputs) || inputs.length === 0 || inputs.length > 2048 || !inputs.every((x): x is string => typeof x === 'string')) {
      return sendError(res, 400, 'invalid_request_error', null, "'input' must be a string or 1..2048 strings");
    }
    if (typeof body.model !== 'string' || body.model === '') return sendError(res, 400, 'invalid_request_error', null, "'model' is required");
    const dimensions = body.dimensions === undefined ? (options.defaultDimensions ?? 1536) : body.dimensions;
    if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1) {
      return sendError(res, 400, 'invalid_request_error', null, "'dimensions' must be a positive integer");
    }
    const format = body.encoding_format ?? 'float';
    if (format !== 'float' && format !== 'base64') return sendError(res, 400, 'invalid_request_error', null, "'encoding_format' must be float or base64");

    const unauthorized = req.headers.authorization !== `Bearer ${options.apiKey}`;
    // A refused request uses up no planned failure, and is logged too (so a test can see it was not retried).
    const failure = unauthorized ? undefined : failures.shift();
    requests.push({ model: body.model, inputs, dimensions, encodingFormat: format, status: unauthorized ? 401 : (failure ?? 200) });
    if (unauthorized) return sendError(res, 401, 'invalid_request_error', 'invalid_api_key', 'Incorrect API key provided.');
    if (failure !== undefined) {
      res.setHeader('retry-after-ms', '5');
      return failure === 429
        ? sendError(res, 429, 'requests', 'rate_limit_exceeded', 'Rate limit reached for requests')
        : sendError(res, 500, 'server_error', null, 'The server had an error while processing your request.');
    }

    let vectors = inputs.map((text) => fakeEmbedding(text, dimensions));
    const corruption = corruptions.shift();
    if (corruption === 'wrong-dimension') vectors[0] = fakeEmbedding(inputs[0] as string, dimensions - 1);
    if (corruption === 'nan') (vectors[0] as Float32Array)[0] = Number.NaN;
    if (corruption === 'missing-vector') vectors = vectors.slice(1);
    const data = vectors.map((v, index) => ({
      object: 'embedding',
      index,
      // JSON has no NaN: a float answer carries null there (what a broken upstream would serialise).
      embedding: format === 'base64' ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : Array.from(v, (x) => (Number.isNaN(x) ? null : x)),
    }));
    if (options.reverseOrder === true) data.reverse();
    const tokens = inputs.reduce((n, t) => n + t.split(/\s+/).length, 0);
    return send(res, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      sendError(res, 500, 'server_error', null, err instanceof Error ? err.message : String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    failNext(count, status) {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    corruptNext(corruption) {
      corruptions.push(corruption);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        // The client keeps connections alive; without this close() waits for their idle timeout.
        server.closeAllConnections();
      }),
  };
}

interface EmbeddingsBody {
  input?: unknown;
  model?: unknown;
  dimensions?: unknown;
  encoding_format?: unknown;
}

async function readJson(req: IncomingMessage): Promise<EmbeddingsBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as EmbeddingsBody);
}

function sendError(res: ServerResponse, status: number, type: string, code: string | null, message: string): void {
  send(res, status, { error: { message, type, param: null, code } });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
