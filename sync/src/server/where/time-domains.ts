// Comparison domains for timestamptz, timestamp and date (ISO text; see datetime.ts).
import { formatDays, formatEpochMicros, infinitySign, parseDateTime, toEpochMicros, TS_MINUS_INFINITY, TS_PLUS_INFINITY } from './datetime';
import { ValueInputError, type Domain } from './domain';

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

export function timestampDomain(typeName: 'timestamptz' | 'timestamp'): Domain<EpochMicros> {
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

export const dateDomain: Domain<number> = {
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
