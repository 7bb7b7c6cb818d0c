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

/**
 * An entry as a store holds it: plus L2's hit bookkeeping (semantic_cache_entries.hit_count, last_hit_at).
 * L2 never replaces an entry (every insert has a new id); if a caller does, Pinecone's upsert resets it.
 */
export interface StoredSemanticEntry extends SemanticEntry {
  hitCount: number;
  /** Epoch ms of the latest hit; null before the first. */
  lastHitAt: number | null;
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
  fetch(tenantId: string, ids: readonly string[]): Promise<StoredSemanticEntry[]>;
  /**
   * L2 hit bookkeeping: hit count + 1, last hit = the later of the stored one and `at`. An unknown id
   * (expired and swept, or another tenant's) is ignored: bookkeeping never fails a hit.
   */
  recordHit(tenantId: string, id: string, at: number): Promise<void>;
  delete(tenantId: string, ids: readonly string[]): Promise<void>;
  /** The sweeper: removes entries that expired at or before `now`; returns how many (when known). */
  deleteExpired(now: number, tenantIds?: readonly string[]): Promise<number>;
  count(tenantId?: string): Promise<number>;
}
