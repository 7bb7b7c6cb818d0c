import type { ColumnInfo } from '../schema/column-info';
import { compareDecimal, formatDecimal, integralValue, parseDecimal, parseDecimalRow, type Decimal } from './decimal';
import { formatDays, formatEpochMicros, infinitySign, parseDateTime, toEpochMicros, TS_MINUS_INFINITY, TS_PLUS_INFINITY } from './datetime';
import { parseBoolInput, parseUuidInput } from './scalar-input';
import { compareCodePoints } from './text-order';

/** A constant Postgres would refuse for this type; the compiler turns it into a 400. */
export class ValueInputError extends Error {}

/**
 * How the where compiler compares values of one column type. Rows are Postgres TEXT output (pgoutput,
 * snapshot `::text`); constants are literals or `$n` params, validated like Postgres's input functions.
 */
export interface Domain<V> {
  readonly label: string;
  /** `<`, `>`, … allowed (enums: only equality, since their order is the catalog's, not the label's). */
  readonly ordered: boolean;
  /** Cast appended to a string constant's placeholder (`$1::"int4"`); undefined lets Postgres infer it. */
  readonly sqlType: string | undefined;
  /** Text types: ordering comparisons are rendered with `COLLATE "C"` to match {@link compareCodePoints}. */
  readonly text: boolean;
  /** Parses a row value; undefined when it is not valid text for the type (the comparison is then unknown). */
  fromRow(text: string): V | undefined;
  /** Parses a string literal or param value; throws ValueInputError when Postgres would refuse it. */
  fromInput(text: string): V;
  /** Numeric literal (`1`, `-2.5`) compared with this column; absent when Postgres has no such operator. */
  fromNumericLiteral?(text: string): V;
  fromBoolLiteral?(value: boolean): V;
  compare(a: V, b: V): number;
  /** Canonical text for the snapshot query's parameter. */
  toParam(value: V): string;
  /** The exact text pgoutput would emit for an equal value, for types whose text form is canonical. */
  routingKey?(value: V): string | undefined;
}

const INT_RANGES = {
  int2: [-(2n ** 15n), 2n ** 15n - 1n],
  int4: [-(2n ** 31n), 2n ** 31n - 1n],
  int8: [-(2n ** 63n), 2n ** 63n - 1n],
} as const;

function intDomain(typeName: keyof typeof INT_RANGES): Domain<Decimal> {
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

const numericDomain: Domain<Decimal> = {
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

function floatDomain(typeName: 'float4' | 'float8'): Domain<number> {
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

function textDomain(typeName: string): Domain<string> {
  // bpchar comparisons ignore trailing spaces (the text output keeps the padding).
  const norm = typeName === 'bpchar' ? (s: string) => s.replace(/ +$/, '') : (s: string) => s;
  return {
    label: typeName,
    ordered: true,
    sqlType: `"${typeName}"`,
    text: true,
    fromRow: norm,
    fromInput: norm,
    compare: compareCodePoints,
    toParam: (value) => value,
    ...(typeName === 'bpchar' ? {} : { routingKey: (value: string) => value }),
  };
}

const boolDomain: Domain<boolean> = {
  label: 'bool',
  ordered: true,
  sqlType: '"bool"',
  text: false,
  fromRow: (text) => (text === 't' ? true : text === 'f' ? false : parseBoolInput(text)),
  fromInput(text) {
    const v = parseBoolInput(text);
    if (v === undefined) throw new ValueInputError(`invalid input syntax for type boolean: "${text}"`);
    return v;
  },
  fromBoolLiteral: (value) => value,
  compare: (a, b) => Number(a) - Number(b),
  toParam: (value) => (value ? 'true' : 'false'),
  routingKey: (value) => (value ? 't' : 'f'),
};

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const uuidDomain: Domain<string> = {
  label: 'uuid',
  ordered: true,
  sqlType: '"uuid"',
  text: false,
  // pgoutput and ::text print the canonical lower-case form; anything else goes through the full parser.
  fromRow: (text) => (CANONICAL_UUID.test(text) ? text : parseUuidInput(text)),
  fromInput(text) {
    const v = parseUuidInput(text);
    if (v === undefined) throw new ValueInputError(`invalid input syntax for type uuid: "${text}"`);
    return v;
  },
  compare: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  toParam: (value) => value,
  routingKey: (value) => value,
};

/**
 * Microseconds since the epoch: a double while it is exactly representable (years ~1685–2255, nearly every
 * real row), a bigint beyond; ±Infinity for Postgres's ±infinity. Compared exactly in every mix.
 */
type EpochMicros = number | bigint;

function microsValue(v: bigint): EpochMicros {
  if (v >= TS_PLUS_INFINITY) return Infinity;
  if (v <= TS_MINUS_INFINITY) return -Infinity;
  return v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : v;
}
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function compareMicros(a: EpochMicros, b: EpochMicros): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (a === Infinity || b === -Infinity) return a === b ? 0 : 1;
  if (a === -Infinity || b === Infinity) return a === b ? 0 : -1;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// The walsender's and snapshot's own output (TimeZone=UTC, DateStyle=ISO), parsed without the general
// parser: years 1000-9999 only, where Date.UTC is exact.
const CANONICAL_UTC = /^([1-9]\d{3})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(\+00)?$/;

function timestampDomain(typeName: 'timestamptz' | 'timestamp'): Domain<EpochMicros> {
  const utc = typeName === 'timestamptz';
  const parse = (text: string): EpochMicros | string => {
    const inf = infinitySign(text);
    if (inf !== 0) return inf * Infinity;
    const p = parseDateTime(text);
    return typeof p === 'string' ? p : microsValue(toEpochMicros(p, !utc));
  };
  return {
    label: typeName,
    ordered: true,
    sqlType: `"${typeName}"`,
    text: false,
    fromRow(text) {
      const m = CANONICAL_UTC.exec(text);
      if (m && (m[8] !== undefined) === utc) {
        const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
        const micros = ms * 1000 + (m[7] === undefined ? 0 : Number(m[7].padEnd(6, '0')));
        if (Number.isSafeInteger(micros)) return micros;
      }
      const v = parse(text);
      return typeof v === 'string' ? undefined : v;
    },
    fromInput(text) {
      const v = parse(text);
      if (typeof v === 'string') throw new ValueInputError(`invalid ${typeName} "${text}": ${v}`);
      return v;
    },
    compare: compareMicros,
    toParam: (value) =>
      value === Infinity ? 'infinity' : value === -Infinity ? '-infinity' : formatEpochMicros(BigInt(value), utc),
  };
}

const dateDomain: Domain<number> = {
  label: 'date',
  ordered: true,
  sqlType: '"date"',
  text: false,
  fromRow(text) {
    const v = parseDate(text);
    return typeof v === 'string' ? undefined : v;
  },
  fromInput(text) {
    const v = parseDate(text);
    if (typeof v === 'string') throw new ValueInputError(`invalid date "${text}": ${v}`);
    return v;
  },
  compare: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  toParam: formatDays,
};

function parseDate(text: string): number | string {
  const inf = infinitySign(text);
  if (inf !== 0) return inf * Infinity;
  const p = parseDateTime(text);
  if (typeof p === 'string') return p;
  return p.hasTime || p.offsetSeconds !== undefined ? 'expected YYYY-MM-DD' : p.days;
}

/** Enums: equality on the label only; the constant's type is left for Postgres to infer (no schema here). */
const enumDomain: Domain<string> = {
  label: 'enum',
  ordered: false,
  sqlType: undefined,
  text: false,
  fromRow: (text) => text,
  fromInput: (text) => text,
  compare: compareCodePoints,
  toParam: (value) => value,
  routingKey: (value) => value,
};

const BY_TYPE_NAME: Readonly<Record<string, Domain<unknown>>> = {
  int2: intDomain('int2'),
  int4: intDomain('int4'),
  int8: intDomain('int8'),
  numeric: numericDomain,
  float4: floatDomain('float4'),
  float8: floatDomain('float8'),
  text: textDomain('text'),
  varchar: textDomain('varchar'),
  bpchar: textDomain('bpchar'),
  bool: boolDomain,
  uuid: uuidDomain,
  timestamptz: timestampDomain('timestamptz'),
  timestamp: timestampDomain('timestamp'),
  date: dateDomain,
};

/**
 * The comparison domain of a column, or undefined for types the where subset cannot compare (arrays, json,
 * vector, bytea, …: only `IS [NOT] NULL` applies to them).
 */
export function domainFor(column: ColumnInfo): Domain<unknown> | undefined {
  if (column.dims > 0) return undefined;
  if (column.category === 'E') return enumDomain as Domain<unknown>;
  return BY_TYPE_NAME[column.typeName];
}

/** Exact-number domains (ints and numeric) compare with each other without rounding. */
export function isExactNumber(column: ColumnInfo): boolean {
  return column.dims === 0 && ['int2', 'int4', 'int8', 'numeric'].includes(column.typeName);
}
