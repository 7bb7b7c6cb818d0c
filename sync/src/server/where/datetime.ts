/**
 * ISO date/time text ↔ comparable numbers, for `date`, `timestamp` and `timestamptz` columns.
 * Rows arrive in Postgres's ISO output (`DateStyle=ISO`): `2024-01-01 10:00:00.5+00`, `0044-03-15 BC`,
 * `infinity`. Literals and params are accepted in the same ISO shape only (optionally `T`, `Z`, `±hh[:mm]`);
 * Postgres's other input styles (`Jan 1 2024`, zone names, `now`) are refused rather than guessed.
 * A timestamptz literal without an offset is read as UTC (not the session zone) and sent to Postgres with
 * an explicit `+00`, so the snapshot query and the live matcher agree whatever the connection's TimeZone.
 */

const DATE_TIME =
  /^(\d{4,6})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(z|utc|[+-]\d{1,2}(?::?\d{2}(?::?\d{2})?)?)?(\s+bc)?$/i;

/** Sentinels beyond every real timestamp, ordered like Postgres's ±infinity. */
export const TS_PLUS_INFINITY = 1n << 80n;
export const TS_MINUS_INFINITY = -(1n << 80n);
const MICROS_PER_DAY = 86_400_000_000n;
/** Postgres's range: 4714-11-24 BC .. 294276 AD; we keep a slightly narrower, simpler one. */
const MIN_YEAR = -4712;
const MAX_YEAR = 294_275;

export interface ParsedDateTime {
  /** Days since 1970-01-01 (proleptic Gregorian, astronomical years). */
  days: number;
  /** Microseconds into the day. */
  micros: bigint;
  /** Seconds east of UTC, when the text carried an offset. */
  offsetSeconds: number | undefined;
  hasTime: boolean;
}

/** Parses ISO date/time text; a string reason when it is not acceptable. */
export function parseDateTime(text: string): ParsedDateTime | string {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return 'expected ISO format YYYY-MM-DD[ HH:MM[:SS[.ffffff]]][Z|±HH[:MM]]';
  const [, ys = '', mos = '', ds = '', hs, mis, ss, frac, zone, bc] = m;
  const yearText = Number(ys);
  const year = bc === undefined ? yearText : 1 - yearText;
  const month = Number(mos);
  const day = Number(ds);
  if (bc !== undefined && yearText === 0) return 'year 0 BC does not exist';
  if (year < MIN_YEAR || year > MAX_YEAR) return 'year out of range';
  if (month < 1 || month > 12) return 'month out of range';
  if (day < 1 || day > daysInMonth(year, month)) return 'day out of range';
  const hour = hs === undefined ? 0 : Number(hs);
  const minute = mis === undefined ? 0 : Number(mis);
  const second = ss === undefined ? 0 : Number(ss);
  if (hour > 23 || minute > 59 || second > 59) return 'time out of range';
  if (frac !== undefined && frac.length > 6) return 'at most 6 fractional second digits';
  const fracMicros = frac === undefined ? 0n : BigInt(frac.padEnd(6, '0'));
  const micros = BigInt(hour) * 3_600_000_000n + BigInt(minute) * 60_000_000n + BigInt(second) * 1_000_000n + fracMicros;
  const offsetSeconds = zone === undefined ? undefined : parseOffset(zone);
  if (offsetSeconds !== undefined && Math.abs(offsetSeconds) >= 16 * 3600) return 'time zone offset out of range';
  return { days: daysFromCivil(year, month, day), micros, offsetSeconds, hasTime: hs !== undefined };
}

function parseOffset(zone: string): number {
  const z = zone.toLowerCase();
  if (z === 'z' || z === 'utc') return 0;
  const sign = z.startsWith('-') ? -1 : 1;
  const digits = z.slice(1).replace(/:/g, '');
  // `+5`, `+05`, `+0530`, `+053015`: hours are the digits before the last even groups of two.
  const hourDigits = digits.length % 2 === 1 ? 1 : 2;
  const h = Number(digits.slice(0, hourDigits));
  const mi = Number(digits.slice(hourDigits, hourDigits + 2) || '0');
  const s = Number(digits.slice(hourDigits + 2, hourDigits + 4) || '0');
  return sign * (h * 3600 + mi * 60 + s);
}

/** 'infinity' / '-infinity' as ±1, else 0. */
export function infinitySign(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'infinity' || t === '+infinity') return 1;
  if (t === '-infinity') return -1;
  return 0;
}

/** Microseconds since the epoch in UTC; `ignoreOffset` for `timestamp` (Postgres ignores a zone there). */
export function toEpochMicros(p: ParsedDateTime, ignoreOffset: boolean): bigint {
  const local = BigInt(p.days) * MICROS_PER_DAY + p.micros;
  return ignoreOffset || p.offsetSeconds === undefined ? local : local - BigInt(p.offsetSeconds) * 1_000_000n;
}

/** `YYYY-MM-DD HH:MM:SS.ffffff[ BC]` (plus `+00` when `utc`), accepted by timestamp(tz)_in. */
export function formatEpochMicros(micros: bigint, utc: boolean): string {
  if (micros >= TS_PLUS_INFINITY) return 'infinity';
  if (micros <= TS_MINUS_INFINITY) return '-infinity';
  let days = micros / MICROS_PER_DAY;
  let rest = micros % MICROS_PER_DAY;
  if (rest < 0n) {
    rest += MICROS_PER_DAY;
    days -= 1n;
  }
  const seconds = Number(rest / 1_000_000n);
  const frac = (rest % 1_000_000n).toString().padStart(6, '0');
  const time = `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}.${frac}`;
  const { date, bc } = formatCivil(Number(days));
  return `${date} ${time}${utc ? '+00' : ''}${bc ? ' BC' : ''}`;
}

/** `YYYY-MM-DD[ BC]`, accepted by date_in. */
export function formatDays(days: number): string {
  if (days === Number.POSITIVE_INFINITY) return 'infinity';
  if (days === Number.NEGATIVE_INFINITY) return '-infinity';
  const { date, bc } = formatCivil(days);
  return bc ? `${date} BC` : date;
}

function formatCivil(days: number): { date: string; bc: boolean } {
  const { year, month, day } = civilFromDays(days);
  const bc = year <= 0;
  return { date: `${pad(bc ? 1 - year : year, 4)}-${pad(month, 2)}-${pad(day, 2)}`, bc };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian, astronomical years).
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}
