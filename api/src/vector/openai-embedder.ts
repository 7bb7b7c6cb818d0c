import type { Embedder } from './embedder';

export interface OpenAiEmbedderOptions {
  apiKey: string;
  /** Default text-embedding-3-small (1536-d). */
  model?: string;
  baseUrl?: string;
  fetch?: typeof fetch;
}

/**
 * Hosted semantic embedder (OpenAI-compatible `/v1/embeddings`). Configured by env in production
 * (OPENAI_API_KEY); not exercised in tests (no network). Its id differs from the hashing embedder's,
 * so L2 entries written by one are never matched by the other.
 */
export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const model = options.model ?? 'text-embedding-3-small';
  const baseUrl = options.baseUrl ?? 'https://api.openai.com';
  const doFetch = options.fetch ?? fetch;
  return {
    id: `openai:${model}`,
    version: '1',
    dimensions: 1536,
    async embed(texts) {
      const res = await doFetch(`${baseUrl}/v1/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
        body: JSON.stringify({ model, input: texts, dimensions: 1536 }),
      });
      if (!res.ok) throw new Error(`embedding API answered ${res.status}`);
      const body = (await res.json()) as { data: Array<{ index: number; embedding: number[] }> };
      const out: Float32Array[] = new Array(texts.length);
      for (const d of body.data) out[d.index] = Float32Array.from(d.embedding);
      return out;
    },
  };
}
