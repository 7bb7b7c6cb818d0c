// L3's descriptor extraction, pure: which reusable components a prompt needs. Heuristic and lexical:
// characters are the salient `name:` tokens; the background is the phrase after the last location
// preposition; props follow "with/holding/carrying". Each is keyed with the provider and brain because
// a component rendered in one style is not reusable in another.
import { createHash } from 'node:crypto';
import { lexicalTokens } from '../vector/hashing-embedder';

export type ComponentKindName = 'character' | 'background' | 'prop';

export interface ComponentDescriptor {
  kind: ComponentKindName;
  /** Normalised words that define it. */
  words: string[];
  /** sha256 of kind + words + provider + brain. */
  key: string;
}

/** Share of a full render a reused component saves; the sum is capped at MAX_REUSE. */
export const REUSE_WEIGHT: Record<ComponentKindName, number> = { character: 0.2, background: 0.3, prop: 0.1 };
export const MAX_REUSE = 0.6;

const LOCATION = new Set(['in', 'at', 'inside', 'on', 'near', 'under', 'across', 'through', 'beside']);
const PROP_LEAD = new Set(['with', 'holding', 'carrying', 'wielding']);

export interface DescribeOptions {
  prompt: string;
  salientTokens: readonly string[];
  provider: string;
  brainId: string | null;
}

export function describeComponents({ prompt, salientTokens, provider, brainId }: DescribeOptions): ComponentDescriptor[] {
  const make = (kind: ComponentKindName, words: string[]): ComponentDescriptor => ({
    kind,
    words,
    key: createHash('sha256').update(JSON.stringify([kind, words, provider, brainId ?? ''])).digest('hex'),
  });
  const out: ComponentDescriptor[] = [];
  for (const t of salientTokens) if (t.startsWith('name:')) out.push(make('character', [t.slice(5)]));
  const words = prompt.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  let lastLocation = -1;
  words.forEach((w, i) => {
    if (LOCATION.has(w)) lastLocation = i;
  });
  if (lastLocation >= 0) {
    const background = lexicalTokens(words.slice(lastLocation + 1).join(' '));
    if (background.length > 0) out.push(make('background', [...new Set(background)].sort()));
  }
  words.forEach((w, i) => {
    if (!PROP_LEAD.has(w)) return;
    const phrase: string[] = [];
    for (let j = i + 1; j < words.length && !LOCATION.has(words[j] as string) && !PROP_LEAD.has(words[j] as string); j++) phrase.push(words[j] as string);
    const prop = lexicalTokens(phrase.slice(0, 3).join(' '));
    if (prop.length > 0) out.push(make('prop', prop));
  });
  return out;
}

/** Fraction of a full render saved by the components that already exist. */
export function reuseFraction(found: readonly ComponentDescriptor[]): number {
  return Math.min(MAX_REUSE, found.reduce((s, c) => s + REUSE_WEIGHT[c.kind], 0));
}
