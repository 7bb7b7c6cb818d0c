// Comparison domains for int2/int4/int8/numeric (exact decimals) and float4/float8 (doubles, Postgres NaN order).
import { compareDecimal, formatDecimal, integralValue, parseDecimal, parseDecimalRow, type Decimal } from './decimal';
import { ValueInputError, type Domain } from './domain';

const INT_RANGES = {
  int2: [-(2n ** 15n), 2n ** 15n - 1n],
  int4: [-(2n ** 31n), 2n ** 31n - 1n],
  int8: [-(2n ** 63n), 2n ** 63n - 1n],
} as const;

export function intDomain(typeName: keyof typeof INT_RANGES): Domain<Decimal> {
  const [min, max] = INT_RANGES[typeName];
  return {
    label: typeName,
    ordered: true,
    sqlType: `"${typeName}"`,
    text: false,
    fromRow: parseDecimalRow,
    fromInput(text) {
      if (!/^\s*[+-]?\d+\s*$/.test(text)) throw new ValueInputError(`invalid input syntax for type ${typeName}: "${text}"`);
      const v = BigInt(text.trim());
      if (v < min || v > max) throw new ValueInputError(`value "${text}" is out of range for type ${typeName}`);
      return parseDecimalRow(v.toString()) ?? { kind: 'finite', m: v, s: 0 };
    },
    fromNumericLiteral: numericLiteral,
    compare: compareDecimal,
    toParam: formatDecimal,
    routingKey(value) {
      return integralValue(value)?.toString();
    },
  };
}

// Constants take the same fast representation as row values, so the hot comparison stays on doubles.
function numericLiteral(text: string): Decimal {
  const d = parseDecimalRow(text);
  if (!d) throw new ValueInputError(`invalid number "${text}"`);
  return d;
}

export const numericDomain: Domain<Decimal> = {
  label: 'numeric',
  ordered: true,
  sqlType: '"numeric"',
  text: false,
  fromRow: parseDecimalRow,
  fromInput(text) {
    const d = parseDecimal(text);
    if (!d) throw new ValueInputError(`invalid input syntax for type numeric: "${text}"`);
    if (d.kind === 'finite') return parseDecimalRow(formatDecimal(d)) ?? d;
    return d;
  },
  fromNumericLiteral: numericLiteral,
  compare: compareDecimal,
  toParam: formatDecimal,
};

const FLOAT_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const FLOAT_SPECIAL: Readonly<Record<string, number>> = {
  nan: Number.NaN,
  inf: Infinity,
  '+inf': Infinity,
  infinity: Infinity,
  '+infinity': Infinity,
  '-inf': -Infinity,
  '-infinity': -Infinity,
};

export function floatDomain(typeName: 'float4' | 'float8'): Domain<number> {
  // float4 values are widened exactly as Postgres does (float4 → float8 is exact), so rows and float4-typed
  // constants are rounded to single precision; a numeric literal stays double, as `float4col = 1.1`
  // resolves to the float48 operator in Postgres.
  const round = typeName === 'float4' ? Math.fround : (x: number) => x;
  const parse = (text: string, rounding: (x: number) => number): number => {
    const t = text.trim();
    const special = FLOAT_SPECIAL[t.toLowerCase()];
    if (special !== undefined) return special;
    if (!FLOAT_TEXT.test(t)) throw new ValueInputError(`invalid input syntax for type ${typeName}: "${text}"`);
    const v = rounding(Number(t));
    if (!Number.isFinite(v) || (v === 0 && /[1-9]/.test(t.replace(/e.*$/i, '')))) {
      throw new ValueInputError(`"${text}" is out of range for type ${typeName}`);
    }
    return v;
  };
  return {
    label: typeName,
    ordered: true,
    sqlType: `"${typeName}"`,
    text: false,
    fromRow(text) {
      const special = FLOAT_SPECIAL[text.toLowerCase()];
      if (special !== undefined) return special;
      const v = Number(text);
      return Number.isNaN(v) ? undefined : round(v);
    },
    fromInput: (text) => parse(text, round),
    fromNumericLiteral: (text) => parse(text, (x) => x),
    compare(a, b) {
      // Postgres: NaN = NaN and NaN sorts above everything; -0 = 0.
      if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
      if (Number.isNaN(b)) return -1;
      return a < b ? -1 : a > b ? 1 : 0;
    },
    toParam: (value) => String(value),
  };
}
