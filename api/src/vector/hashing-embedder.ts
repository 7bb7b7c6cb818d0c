import { createHash } from 'node:crypto';
import { normalizePrompt } from '../generation/canonical-request';
import type { Embedder } from './embedder';

/**
 * The default embedder: LEXICAL, local, deterministic, no network. It hashes normalised word
 * unigrams (weight 1) and adjacent bigrams (weight 0.25: word order matters a little, not much) into `dimensions` buckets with a sign bit
 * (feature hashing), then L2-normalises. Normalisation drops filler words, folds a small table of
 * common synonyms and a plural "s", so reordering and filler paraphrases land close; synonyms outside
 * the table do not (it knows words, not meaning). A hosted semantic embedder is an adapter behind the
 * same interface (see openai-embedder.ts) and gets its own id, so its vectors never mix with these.
 */
export const HASHING_EMBEDDER_ID = 'hashing-ngram';
/** Bump on ANY change to tokens, weights or hashing: L2 entries of another version are never matched. */
export const HASHING_EMBEDDER_VERSION = '2';

const FILLER = new Set([
  'a', 'an', 'the', 'of', 'please', 'just', 'really', 'very', 'some', 'kind', 'sort', 'like', 'that', 'this',
  'is', 'are', 'be', 'shot', 'scene', 'show', 'showing', 'shows', 'me', 'us', 'we', 'i', 'want', 'make',
  'create', 'generate', 'video', 'clip', 'footage', 'quite', 'so', 'and', 'there', 'its', 'it',
  // Politeness and chat filler that never changes what a video shows.
  'thanks', 'thank', 'you', 'nice', 'good', 'great', 'awesome', 'could', 'would', 'can', 'kindly', 'maybe',
]);

/** Folded synonyms: key → canonical word. Deliberately small and generic. */
const SYNONYMS: Record<string, string> = {
  automobile: 'car', vehicle: 'car', auto: 'car', dog: 'dog', puppy: 'dog', hound: 'dog', kitten: 'cat',
  road: 'street', avenue: 'street', woods: 'forest', sea: 'ocean', seashore: 'beach', shore: 'beach',
  dusk: 'sunset', nighttime: 'night', evening: 'night', walking: 'walk', walks: 'walk', running: 'run',
  runs: 'run', large: 'big', huge: 'big', small: 'little', tiny: 'little', quick: 'fast', rapid: 'fast',
  happy: 'joyful', glad: 'joyful', sad: 'unhappy', gloomy: 'dark', dim: 'dark', bright: 'light',
  house: 'home', city: 'town', mountain: 'peak', hill: 'peak', river: 'stream', creek: 'stream',
};

export function lexicalTokens(text: string): string[] {
  const out: string[] = [];
  for (const w of normalizePrompt(text).split(' ')) {
    if (w === '' || FILLER.has(w)) continue;
    const folded = SYNONYMS[w] ?? w;
    out.push(folded.length > 3 && folded.endsWith('s') && !folded.endsWith('ss') ? folded.slice(0, -1) : folded);
  }
  return out;
}

const BIGRAM_WEIGHT = 0.25;

export interface HashingEmbedderOptions {
  dimensions?: number;
}

export function createHashingEmbedder(options: HashingEmbedderOptions = {}): Embedder {
  const dimensions = options.dimensions ?? 1536;
  // feature → index * 2 + sign bit (1 = negative), memoised because prompts repeat words a lot.
  const bucketCache = new Map<string, number>();
  function add(vec: Float32Array, feature: string, weight: number): void {
    let b = bucketCache.get(feature);
    if (b === undefined) {
      const h = createHash('sha256').update(feature).digest();
      b = (h.readUInt32BE(0) % dimensions) * 2 + (h.readUInt8(4) & 1);
      if (bucketCache.size < 200_000) bucketCache.set(feature, b);
    }
    const index = b >> 1;
    vec[index] = (vec[index] as number) + (b & 1 ? -weight : weight);
  }
  return {
    id: HASHING_EMBEDDER_ID,
    version: `${HASHING_EMBEDDER_VERSION}-d${dimensions}`,
    dimensions,
    async embed(texts) {
      return texts.map((text) => {
        const vec = new Float32Array(dimensions);
        const tokens = lexicalTokens(text);
        tokens.forEach((t, i) => {
          add(vec, `u:${t}`, 1);
          const next = tokens[i + 1];
          if (next !== undefined) add(vec, `b:${t} ${next}`, BIGRAM_WEIGHT);
        });
        let norm = 0;
        for (const x of vec) norm += x * x;
        norm = Math.sqrt(norm);
        if (norm > 0) for (let i = 0; i < dimensions; i++) vec[i] = (vec[i] as number) / norm;
        return vec;
      });
    },
  };
}
