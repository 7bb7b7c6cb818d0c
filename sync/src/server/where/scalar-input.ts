/** Postgres input rules for bool and uuid literals, so a value Postgres would refuse is refused here (400). */

const BOOL_WORDS: ReadonlyArray<{ word: string; value: boolean; minLength: number }> = [
  { word: 'true', value: true, minLength: 1 },
  { word: 'false', value: false, minLength: 1 },
  { word: 'yes', value: true, minLength: 1 },
  { word: 'no', value: false, minLength: 1 },
  { word: 'on', value: true, minLength: 2 },
  { word: 'off', value: false, minLength: 2 },
];

/** boolin: `t`, `true`, `yes`, `on`, `1` (and unique prefixes), case-insensitive, spaces trimmed. */
export function parseBoolInput(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t === '1') return true;
  if (t === '0') return false;
  if (t === '') return undefined;
  for (const { word, value, minLength } of BOOL_WORDS) {
    if (t.length >= minLength && word.startsWith(t)) return value;
  }
  return undefined;
}

/**
 * uuid_in: 32 hex digits, any case, optionally in braces, with a hyphen allowed after any group of four
 * digits. Returns the canonical lower-case 8-4-4-4-12 form (what Postgres outputs).
 */
export function parseUuidInput(text: string): string | undefined {
  let t = text;
  if (t.startsWith('{')) {
    if (!t.endsWith('}')) return undefined;
    t = t.slice(1, -1);
  }
  let hex = '';
  for (let i = 0; i < t.length; i++) {
    const c = t[i] ?? '';
    if (c === '-') {
      const afterGroup = hex.length > 0 && hex.length % 4 === 0 && t[i - 1] !== '-' && i < t.length - 1;
      if (!afterGroup) return undefined;
    } else if (/^[0-9a-fA-F]$/.test(c)) {
      hex += c.toLowerCase();
    } else {
      return undefined;
    }
  }
  if (hex.length !== 32) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
