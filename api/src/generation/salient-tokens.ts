// Salient tokens: the few words whose change flips what a video shows even when the rest of the prompt
// (and so its embedding) barely moves — "a red car" vs "a blue car", "two dogs" vs "three dogs",
// "with rain" vs "without rain", "Mara" vs "Theo". An L2 hit requires equal sets.

export const COLOURS = new Set([
  'red', 'blue', 'green', 'yellow', 'orange', 'purple', 'violet', 'pink', 'black', 'white', 'grey', 'gray',
  'brown', 'golden', 'gold', 'silver', 'crimson', 'scarlet', 'teal', 'cyan', 'magenta', 'turquoise', 'beige',
  'navy', 'amber', 'emerald', 'ivory',
]);
const COLOUR_ALIASES: Record<string, string> = { gray: 'grey', gold: 'golden', scarlet: 'red', crimson: 'red', violet: 'purple' };

const NUMBER_WORDS: Record<string, number> = {
  zero: 0, one: 1, single: 1, lone: 1, two: 2, pair: 2, couple: 2, three: 3, four: 4, five: 5, six: 6,
  seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, dozen: 12, twenty: 20, hundred: 100,
};

const NEGATIONS = new Set(['no', 'not', 'without', 'never', 'none', 'nobody', 'nothing', 'neither', 'nor', 'dont', 'doesnt', 'isnt', 'arent', 'cannot']);
const SKIP_AFTER_NEGATION = new Set(['a', 'an', 'the', 'any', 'single', 'more', 'longer', 'at', 'all', 'be', 'is', 'are', 'have', 'has', 'with']);

/** Capitalised words that are not names even mid-sentence. */
const NOT_NAMES = new Set(['i', 'the', 'a', 'an', 'and', 'in', 'on', 'at', 'of', 'with', 'without', 'no', 'not', 'close', 'wide', 'slow', 'fast']);

export interface SalientOptions {
  /** Known character names of the project (case-insensitive); matched anywhere in the prompt. */
  characterNames?: readonly string[];
}

/** Sorted, de-duplicated salient tokens: `color:red`, `num:2`, `neg:rain`, `name:mara`. */
export function salientTokens(prompt: string, options: SalientOptions = {}): string[] {
  const out = new Set<string>();
  // Words plus sentence ends, so a capitalised sentence opener is not mistaken for a name.
  const pieces = prompt.normalize('NFKC').replace(/[’']/g, '').match(/[\p{L}\p{N}]+|[.!?;:]/gu) ?? [];
  const raw: string[] = [];
  const sentenceStart: boolean[] = [];
  let atStart = true;
  for (const piece of pieces) {
    if (/^[.!?;:]$/.test(piece)) {
      atStart = true;
      continue;
    }
    raw.push(piece);
    sentenceStart.push(atStart);
    atStart = false;
  }
  const lower = raw.map((w) => w.toLowerCase());
  const known = new Set((options.characterNames ?? []).map((n) => n.toLowerCase()));
  for (let i = 0; i < lower.length; i++) {
    const w = lower[i] as string;
    const original = raw[i] as string;
    if (COLOURS.has(w)) out.add(`color:${COLOUR_ALIASES[w] ?? w}`);
    if (/^\d+$/.test(w)) out.add(`num:${Number(w)}`);
    const n = NUMBER_WORDS[w];
    if (n !== undefined) out.add(`num:${n}`);
    if (NEGATIONS.has(w)) {
      let j = i + 1;
      while (j < lower.length && SKIP_AFTER_NEGATION.has(lower[j] as string)) j++;
      const target = lower[j];
      if (target !== undefined) out.add(`neg:${singular(target)}`);
    }
    if (known.has(w)) out.add(`name:${w}`);
    else if (/^\p{Lu}/u.test(original) && !NOT_NAMES.has(w) && !sentenceStart[i]) {
      out.add(`name:${w}`);
    }
  }
  return [...out].sort();
}

function singular(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/** Equal sets ⇒ no salient mismatch. Both inputs are sorted (salientTokens returns them sorted). */
export function salientMatch(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

/** One side of an L2 salient comparison: its tokens and its prompt as normalizePrompt returns it. */
export interface SalientSide {
  salientTokens: readonly string[];
  normalizedPrompt: string;
}

/**
 * L2's salient check. Everything but names must be equal. A name is found either by capitalisation
 * mid-sentence or through the project's character list; L2 is scoped per tenant, not per project, so
 * the same prompt asked in another project of the user ("Theo watches…" where Theo is not one of that
 * project's characters, at a sentence start) carries no `name:theo`. So a name present on one side
 * only still matches when the other side's prompt contains that word; a different name does not.
 */
export function salientCompatible(a: SalientSide, b: SalientSide): boolean {
  if (salientMatch(a.salientTokens, b.salientTokens)) return true;
  const isName = (t: string): boolean => t.startsWith('name:');
  if (!salientMatch(a.salientTokens.filter((t) => !isName(t)), b.salientTokens.filter((t) => !isName(t)))) return false;
  const mentions = (side: SalientSide, token: string): boolean => side.salientTokens.includes(token) || ` ${side.normalizedPrompt} `.includes(` ${token.slice(5)} `);
  return a.salientTokens.filter(isName).every((t) => mentions(b, t)) && b.salientTokens.filter(isName).every((t) => mentions(a, t));
}
