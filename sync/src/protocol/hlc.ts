/**
 * Hybrid logical clock shared by the sync client and the mutation API.
 *
 * Wire form (lexicographically ordered, so clocks compare as plain strings):
 *   `<wall ms, 15 digits>-<counter, 6 digits>-<client id>`
 * e.g. `001732550400000-000003-6f1c0e9a`. Equal wall time and counter → the higher client id
 * wins, simply because it is the last component of the string.
 *
 * Everything here is pure: the current time is always a parameter.
 */

export interface Hlc {
  /** Milliseconds since the Unix epoch. */
  wall: number;
  /** Logical counter for events within the same millisecond. */
  counter: number;
  /** Node id, non-empty; may itself contain `-` (only the first two separators count). */
  clientId: string;
}

const WALL_DIGITS = 15;
const COUNTER_DIGITS = 6;
export const HLC_MAX_COUNTER = 10 ** COUNTER_DIGITS - 1;
const MAX_WALL = 10 ** WALL_DIGITS - 1;
const HLC_PATTERN = /^(\d{15})-(\d{6})-(.+)$/s;

export type HlcErrorCode = 'hlc_malformed' | 'hlc_counter_overflow' | 'hlc_drift';

/** Raised for a malformed clock string or a clock that cannot advance; `code` is stable. */
export class HlcError extends Error {
  constructor(
    readonly code: HlcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HlcError';
  }
}

/** Parses the wire form; throws HlcError('hlc_malformed') with the offending value in the message. */
export function parseHlc(value: string): Hlc {
  const m = HLC_PATTERN.exec(value);
  if (!m || m[1] === undefined || m[2] === undefined || m[3] === undefined) {
    throw new HlcError(
      'hlc_malformed',
      `Malformed HLC ${JSON.stringify(value)}: expected "<15-digit wall ms>-<6-digit counter>-<client id>"`,
    );
  }
  return { wall: Number(m[1]), counter: Number(m[2]), clientId: m[3] };
}

/** True when `value` is a well-formed HLC string. */
export function isHlc(value: unknown): value is string {
  return typeof value === 'string' && HLC_PATTERN.test(value);
}

export function formatHlc({ wall, counter, clientId }: Hlc): string {
  if (!Number.isSafeInteger(wall) || wall < 0 || wall > MAX_WALL) {
    throw new HlcError('hlc_malformed', `HLC wall time ${wall} is not an integer in 0..${MAX_WALL}`);
  }
  if (!Number.isSafeInteger(counter) || counter < 0 || counter > HLC_MAX_COUNTER) {
    throw new HlcError('hlc_counter_overflow', `HLC counter ${counter} is outside 0..${HLC_MAX_COUNTER}`);
  }
  if (clientId.length === 0) throw new HlcError('hlc_malformed', 'HLC client id must not be empty');
  return `${String(wall).padStart(WALL_DIGITS, '0')}-${String(counter).padStart(COUNTER_DIGITS, '0')}-${clientId}`;
}

/** -1, 0 or 1. Works on the strings directly because the format is fixed-width. */
export function compareHlc(a: string, b: string): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The larger of two clocks (or undefined when both are). */
export function maxHlc(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a >= b ? a : b;
}

/**
 * A local event (send or write): the next clock after `last` at physical time `now`.
 * @example tickHlc(undefined, 1700000000000, 'server') → '001700000000000-000000-server'
 */
export function tickHlc(last: Hlc | undefined, now: number, clientId: string): Hlc {
  const wall = Math.max(last?.wall ?? 0, Math.floor(now));
  const counter = last !== undefined && wall === last.wall ? last.counter + 1 : 0;
  if (counter > HLC_MAX_COUNTER) {
    throw new HlcError('hlc_counter_overflow', `HLC counter overflow at wall ${wall}; too many events in one ms`);
  }
  return { wall, counter, clientId };
}

/**
 * Receiving a remote clock: the local clock moves past both its last value and the remote one.
 * Callers that do not trust the remote wall time clamp it first (see clampHlc).
 */
export function receiveHlc(last: Hlc | undefined, remote: Hlc, now: number, clientId: string): Hlc {
  const localWall = last?.wall ?? 0;
  const wall = Math.max(localWall, remote.wall, Math.floor(now));
  let counter: number;
  if (wall === localWall && wall === remote.wall) counter = Math.max(last?.counter ?? 0, remote.counter) + 1;
  else if (wall === localWall) counter = (last?.counter ?? 0) + 1;
  else if (wall === remote.wall) counter = remote.counter + 1;
  else counter = 0;
  if (counter > HLC_MAX_COUNTER) {
    throw new HlcError('hlc_counter_overflow', `HLC counter overflow at wall ${wall}; too many events in one ms`);
  }
  return { wall, counter, clientId };
}

export interface ClampHlcOptions {
  /** Server's physical time in ms. */
  now: number;
  /** How far ahead of `now` a client clock may be before it is pulled back. */
  maxDriftMs: number;
}

/**
 * Pulls a clock that runs more than `maxDriftMs` ahead of `now` back to `now + maxDriftMs`,
 * keeping its counter and client id. Without this a client with a wrong clock (say, year 2099)
 * would win every future conflict for that field. The clamped clock still beats honest clocks
 * written up to `maxDriftMs` in the future, which is the accepted price of not rejecting writes.
 * Returns the input unchanged when it is within the bound.
 */
export function clampHlc(value: string, { now, maxDriftMs }: ClampHlcOptions): string {
  const parsed = parseHlc(value);
  const limit = Math.floor(now) + maxDriftMs;
  if (parsed.wall <= limit) return value;
  return formatHlc({ ...parsed, wall: limit });
}
