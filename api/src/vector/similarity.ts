// One definition of "similarity" for every store: cosine similarity in [−1, 1], higher = closer.
// pgvector's `<=>` returns cosine DISTANCE = 1 − similarity; Pinecone's cosine `score` IS the
// similarity. Each store converts exactly once, here, and the threshold is compared to the result.

/** pgvector `<=>` (cosine distance) → cosine similarity. */
export function similarityFromPgDistance(distance: number): number {
  return 1 - distance;
}

/** cosine similarity → pgvector `<=>` distance (for `where embedding <=> $q <= distance`). */
export function pgDistanceFromSimilarity(similarity: number): number {
  return 1 - similarity;
}

/** Pinecone cosine-metric score → cosine similarity (identity, kept as a function so it is named and tested). */
export function similarityFromPineconeScore(score: number): number {
  return score;
}

export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** A vector crossing a boundary must have the right length and only finite numbers (DESIGN.md). */
export function checkVector(values: ArrayLike<number>, dimensions: number): string | null {
  if (values.length !== dimensions) return `expected ${dimensions} dimensions, got ${values.length}`;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) return `element ${i} is not a finite number`;
  }
  return null;
}

/** pgvector text literal `[1,2,3]`. */
export function toPgVector(values: ArrayLike<number>): string {
  return `[${Array.from(values).join(',')}]`;
}

export function fromPgVector(text: string): Float32Array {
  return Float32Array.from(text.slice(1, -1).split(','), Number);
}
