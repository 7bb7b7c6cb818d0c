/**
 * Exact decimals for int2/int4/int8/numeric comparisons: a row's text form and a literal are compared
 * mathematically (Postgres promotes `int4col = 1.5` to numeric), so no float rounding may creep in.
 * Ordering follows Postgres numeric: -Infinity < every number < Infinity < NaN, and NaN = NaN.
 */
export type ExactDecimal = Exclude<Decimal, { kind: 'small' }>;

export type Decimal =
  | { kind: 'finite'; /** value = m × 10^-s */ m: bigint; s: number }
  /**
   * A plain decimal with at most 15 significant digits, kept as a double: decimal → double rounding is
   * monotonic and injective up to 15 digits (DBL_DIG), so comparing two of these as numbers is exact.
   * Only produced by {@link parseDecimalRow} (the hot path); `text` recovers the exact value.
   */
  | { kind: 'small'; n: number; text: string }
  | { kind: 'nan' }
  | { kind: 'inf'; negative: boolean };

const FINITE = /^([+-]?)(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?$/;
/** Exponents beyond this are refused rather than materialised as huge BigInts. */
const MAX_EXPONENT = 1000;

/** Parses a decimal number (`12`, `-1.50`, `.5`, `1e3`, `NaN`, `Infinity`); undefined if malformed. */
const PLAIN_INT = /^-?\d{1,15}$/;

export function parseDecimal(text: string): ExactDecimal | undefined {
  // Fast path for the common case (int columns' text output): no trimming, no exponent, no split.
  if (PLAIN_INT.test(text)) return { kind: 'finite', m: BigInt(text), s: 0 };
  const t = text.trim();
  const lower = t.toLowerCase();
  if (lower === 'nan') return { kind: 'nan' };
  if (lower === 'infinity' || lower === '+infinity' || lower === 'inf' || lower === '+inf') return { kind: 'inf', negative: false };
  if (lower === '-infinity' || lower === '-inf') return { kind: 'inf', negative: true };
  const match = FINITE.exec(t);
  if (!match) return undefined;
  const [, sign = '', body = '', exp] = match;
  const [intPart = '', fracPart = ''] = body.split('.');
  const exponent = exp === undefined ? 0 : Number(exp);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > MAX_EXPONENT) return undefined;
  let m = BigInt((intPart + fracPart).replace(/^0+(?=\d)/, '') || '0');
  let s = fracPart.length - exponent;
  if (s < 0) {
    m *= 10n ** BigInt(-s);
    s = 0;
  }
  return { kind: 'finite', m: sign === '-' ? -m : m, s };
}

const PLAIN_DECIMAL = /^-?\d+(?:\.\d+)?$/;

/** Like {@link parseDecimal}, faster for row values: plain short decimals become doubles (see 'small'). */
export function parseDecimalRow(text: string): Decimal | undefined {
  // Digit count including leading zeros: conservative (a longer form just takes the exact path).
  const digits = text.length - (text.charCodeAt(0) === 45 /* - */ ? 1 : 0) - (text.includes('.') ? 1 : 0);
  if (digits <= 15 && PLAIN_DECIMAL.test(text)) return { kind: 'small', n: Number(text), text };
  return parseDecimal(text);
}

function exact(d: Decimal): ExactDecimal {
  return d.kind === 'small' ? (parseDecimal(d.text) ?? { kind: 'nan' }) : d;
}

function rank(d: Decimal): number {
  if (d.kind === 'nan') return 2;
  if (d.kind === 'inf') return d.negative ? -1 : 1;
  return 0;
}

export function compareDecimal(x: Decimal, y: Decimal): number {
  if (x.kind === 'small' && y.kind === 'small') return x.n < y.n ? -1 : x.n > y.n ? 1 : 0;
  const a = exact(x);
  const b = exact(y);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb || a.kind !== 'finite' || b.kind !== 'finite') return Math.sign(ra - rb);
  if (a.s === b.s) return a.m < b.m ? -1 : a.m > b.m ? 1 : 0;
  const s = Math.max(a.s, b.s);
  const p = a.m * 10n ** BigInt(s - a.s);
  const q = b.m * 10n ** BigInt(s - b.s);
  return p < q ? -1 : p > q ? 1 : 0;
}

/** The integer value when `d` is integral (`1.00` → 1n), else undefined. */
export function integralValue(value: Decimal): bigint | undefined {
  const d = exact(value);
  if (d.kind !== 'finite') return undefined;
  const scale = 10n ** BigInt(d.s);
  return d.m % scale === 0n ? d.m / scale : undefined;
}

/** Canonical text (`-1.5`, `NaN`, `Infinity`), accepted by numeric_in. */
export function formatDecimal(value: Decimal): string {
  const d = exact(value);
  if (d.kind === 'nan') return 'NaN';
  if (d.kind === 'inf') return d.negative ? '-Infinity' : 'Infinity';
  const negative = d.m < 0n;
  const digits = (negative ? -d.m : d.m).toString().padStart(d.s + 1, '0');
  const whole = digits.slice(0, digits.length - d.s);
  const frac = digits.slice(digits.length - d.s);
  return `${negative ? '-' : ''}${whole}${frac === '' ? '' : `.${frac}`}`;
}
