import { describe, expect, it } from 'vitest';
import { createHashingEmbedder } from './hashing-embedder';
import { checkVector, cosineSimilarity, pgDistanceFromSimilarity, similarityFromPgDistance, similarityFromPineconeScore } from './similarity';

describe('hashing embedder (lexical)', () => {
  const embedder = createHashingEmbedder();

  it('is deterministic, 1536-d, unit length, and versioned', async () => {
    const [a, b] = await embedder.embed(['a red car at night', 'a red car at night']);
    expect(Array.from(a!)).toEqual(Array.from(b!));
    expect(a).toHaveLength(1536);
    expect(cosineSimilarity(a!, a!)).toBeCloseTo(1, 6);
    expect(embedder.id).toBe('hashing-ngram');
    expect(embedder.version).toBe('2-d1536');
  });

  it('filler words and folded synonyms stay above 0.95; a different scene falls far below', async () => {
    const [a, filler, synonym, other] = await embedder.embed([
      'a red car on a street at night',
      'please show me a red car on the street at night',
      'a red automobile on a road at night',
      'a lighthouse on a cliff in a storm',
    ]);
    expect(cosineSimilarity(a!, filler!)).toBeGreaterThan(0.95);
    expect(cosineSimilarity(a!, synonym!)).toBeGreaterThan(0.95);
    expect(cosineSimilarity(a!, other!)).toBeLessThan(0.3);
  });

  it('reordering keeps every unigram, so similarity stays high (bigrams differ)', async () => {
    const [a, b] = await embedder.embed(['red car street night rain', 'night rain red car street']);
    const s = cosineSimilarity(a!, b!);
    expect(s).toBeGreaterThan(0.75);
    expect(s).toBeLessThan(1);
  });
});

describe('similarity scale (one conversion per store)', () => {
  it('pgvector distance 1 − cos; Pinecone score = cos', () => {
    expect(similarityFromPgDistance(0.05)).toBeCloseTo(0.95, 10);
    expect(pgDistanceFromSimilarity(0.95)).toBeCloseTo(0.05, 10);
    expect(similarityFromPineconeScore(0.95)).toBe(0.95);
  });

  it('checkVector rejects wrong length, NaN and Infinity', () => {
    expect(checkVector([1, 2], 2)).toBeNull();
    expect(checkVector([1], 2)).toMatch(/2 dimensions/);
    expect(checkVector([1, Number.NaN], 2)).toMatch(/element 1/);
    expect(checkVector([Infinity, 1], 2)).toMatch(/element 0/);
  });
});
