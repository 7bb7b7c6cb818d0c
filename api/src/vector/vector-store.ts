import type { CachedVideo, GenerationParameters } from '../generation/types';

/** The scope an L2 query must match exactly; similarity is ranked inside it. */
export interface SemanticScope {
  tenantId: string;
  provider: string;
  brainId: string | null;
  embedderId: string;
  embedderVersion: string;
  modelVersion: string;
}

/** One L2 entry: the prompt's embedding plus everything needed to decide and serve a hit. */
export interface SemanticEntry extends SemanticScope {
  id: string;
  prompt: string;
  normalizedPrompt: string;
  salientTokens: string[];
  parameters: GenerationParameters;
  embedding: Float32Array;
  result: CachedVideo;
  createdAt: number;
  expiresAt: number;
}

export interface SemanticQuery extends SemanticScope {
  embedding: Float32Array;
  topK: number;
  /** Entries with expiresAt ≤ now are invisible. */
  now: number;
  /** Only matches with cosine similarity ≥ this are returned (see similarity.ts for the one scale). */
  minSimilarity: number;
}

export interface SemanticMatch {
  entry: SemanticEntry;
  /** Cosine similarity, higher = closer, same scale for every store. */
  similarity: number;
}

/**
 * Where L2 keeps its vectors. pgvector (default, HNSW) and Pinecone implement it and pass the same
 * contract suite (vector-store.contract.ts).
 */
export interface VectorStore {
  readonly name: string;
  /** Insert or replace by id; implementations batch large inputs. */
  upsert(entries: readonly SemanticEntry[]): Promise<void>;
  query(query: SemanticQuery): Promise<SemanticMatch[]>;
  fetch(tenantId: string, ids: readonly string[]): Promise<SemanticEntry[]>;
  delete(tenantId: string, ids: readonly string[]): Promise<void>;
  /** The sweeper: removes entries that expired at or before `now`; returns how many (when known). */
  deleteExpired(now: number, tenantIds?: readonly string[]): Promise<number>;
  count(tenantId?: string): Promise<number>;
}
