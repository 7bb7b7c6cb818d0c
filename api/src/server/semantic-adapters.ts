import { Pinecone, type Index } from '@pinecone-database/pinecone';
import type { Embedder } from '../vector/embedder';
import { createHashingEmbedder } from '../vector/hashing-embedder';
import { createOpenAiEmbedder } from '../vector/openai-embedder';
import type { EmbedderConfig, VectorStoreConfig } from './server-config';

export type PineconeConfig = Extract<VectorStoreConfig, { kind: 'pinecone' }>;

/** The configured embedder; both kinds produce 1536-d vectors, the size of the pgvector column. */
export function createEmbedderFromConfig(config: EmbedderConfig): Embedder {
  if (config.kind === 'hashing') return createHashingEmbedder();
  return createOpenAiEmbedder({
    apiKey: config.apiKey,
    ...(config.model === undefined ? {} : { model: config.model }),
    ...(config.baseURL === undefined ? {} : { baseURL: config.baseURL }),
  });
}

export interface OpenPineconeIndexOptions {
  config: PineconeConfig;
  embedder: Embedder;
}

/**
 * The index handle as the v8 client documents it (`pc.index({ host })`, or `pc.index({ name })`, which
 * resolves the host through describeIndex), checked before the server takes traffic: a dimension other
 * than the embedder's would fail every upsert at the first miss, long after a deploy looked healthy.
 * Throws a one-line error saying what to fix.
 */
export async function openPineconeIndex({ config, embedder }: OpenPineconeIndexOptions): Promise<Index> {
  const pc = new Pinecone({ apiKey: config.apiKey });
  const index = pc.index(config.index);
  const where = 'host' in config.index ? `PINECONE_INDEX_HOST=${config.index.host}` : `PINECONE_INDEX=${config.index.name}`;
  let dimension: number | undefined;
  try {
    ({ dimension } = await index.describeIndexStats());
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new Error(`Pinecone index check failed for ${where} (check PINECONE_API_KEY and the index): ${detail}`, { cause: err });
  }
  if (dimension !== embedder.dimensions) {
    throw new Error(
      `Pinecone index ${where} has dimension ${String(dimension)} but embedder ${embedder.id} produces ${embedder.dimensions}: ` +
        `point it at an index created with dimension ${embedder.dimensions} and metric cosine`,
    );
  }
  return index;
}
