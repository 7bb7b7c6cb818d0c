import { ValueInputError } from './domain';

type Token = { kind: 'char'; cp: number } | { kind: 'one' } | { kind: 'any' };

/**
 * A LIKE / ILIKE matcher with Postgres semantics: `%` any run, `_` one character (code point), `\` escapes
 * the next character, a trailing `\` is an error. Matching is the two-pointer wildcard algorithm, O(n·m)
 * worst case — never a RegExp, so a hostile pattern (`%a%a%a…`) cannot backtrack exponentially.
 * ILIKE lower-cases both sides one code point at a time, like Postgres's towlower() under a UTF-8 libc
 * locale; multi-character case mappings (e.g. U+0130) keep the character, a known, documented edge.
 */
export function compileLike(pattern: string, caseInsensitive: boolean): (text: string) => boolean {
  const fold = caseInsensitive ? lowerCodePoint : (cp: number) => cp;
  const tokens: Token[] = [];
  const cps = codePoints(pattern);
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i] ?? 0;
    if (cp === 0x5c /* \ */) {
      const next = cps[++i];
      if (next === undefined) throw new ValueInputError('LIKE pattern must not end with escape character');
      tokens.push({ kind: 'char', cp: fold(next) });
    } else if (cp === 0x25 /* % */) {
      if (tokens.at(-1)?.kind !== 'any') tokens.push({ kind: 'any' });
    } else if (cp === 0x5f /* _ */) {
      tokens.push({ kind: 'one' });
    } else {
      tokens.push({ kind: 'char', cp: fold(cp) });
    }
  }
  return (text) => {
    // Most text has no surrogate pairs: index UTF-16 units directly instead of building a code point array.
    if (!SURROGATE.test(text)) {
      return matchTokens(tokens, text.length, caseInsensitive ? (i) => fold(text.charCodeAt(i)) : (i) => text.charCodeAt(i));
    }
    const cps = caseInsensitive ? codePoints(text).map(fold) : codePoints(text);
    return matchTokens(tokens, cps.length, (i) => cps[i] ?? -1);
  };
}

const SURROGATE = /[\uD800-\uDFFF]/;

function matchTokens(tokens: readonly Token[], length: number, at: (i: number) => number): boolean {
  let s = 0;
  let p = 0;
  let star = -1;
  let mark = 0;
  while (s < length) {
    const t = tokens[p];
    if (t !== undefined && (t.kind === 'one' || (t.kind === 'char' && t.cp === at(s)))) {
      s++;
      p++;
    } else if (t !== undefined && t.kind === 'any') {
      star = p++;
      mark = s;
    } else if (star >= 0) {
      p = star + 1;
      s = ++mark;
    } else {
      return false;
    }
  }
  while (tokens[p]?.kind === 'any') p++;
  return p === tokens.length;
}

function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0) ?? 0);
  return out;
}

function lowerCodePoint(cp: number): number {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp;
  if (cp === 0x130) return 0x69; // İ: towlower gives 'i'; JS gives 'i̇' (two code points)
  const lower = String.fromCodePoint(cp).toLowerCase();
  const first = lower.codePointAt(0) ?? cp;
  return lower.length === String.fromCodePoint(first).length ? first : cp;
}
