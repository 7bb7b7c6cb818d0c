/**
 * Text → vector. `id` + `version` are stored on every L2 entry and are part of every L2 query's
 * filter, so switching embedders (or changing one's algorithm) never matches old vectors.
 */
export interface Embedder {
  readonly id: string;
  readonly version: string;
  readonly dimensions: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}
