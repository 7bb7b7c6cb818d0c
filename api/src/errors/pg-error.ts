import { ApiError } from './api-error';

/** What postgres.js puts on a server error: we read only the SQLSTATE and structured fields. */
interface PgServerError {
  code: string;
  constraint_name?: string;
  table_name?: string;
  column_name?: string;
}

function isPgServerError(e: unknown): e is PgServerError {
  return typeof e === 'object' && e !== null && 'code' in e && typeof (e as { code: unknown }).code === 'string'
    && (e as { name?: unknown }).name === 'PostgresError';
}

/** SQLSTATE of a postgres.js error, or undefined for anything else. */
export function sqlState(e: unknown): string | undefined {
  return isPgServerError(e) ? e.code : undefined;
}

/** SQLSTATEs that mean "try the whole transaction again" (serialization failure, deadlock). */
export function isRetryableSqlState(state: string | undefined): boolean {
  return state === '40001' || state === '40P01';
}

/**
 * Maps a Postgres error raised by a client's mutation to an ApiError by SQLSTATE (never by message text).
 * Returns undefined for errors that are the server's fault; the caller rethrows those as `internal`.
 */
export function apiErrorFromPg(e: unknown): ApiError | undefined {
  if (!isPgServerError(e)) return undefined;
  const details: Record<string, unknown> = { sqlstate: e.code };
  if (e.constraint_name) details.constraint = e.constraint_name;
  if (e.column_name) details.column = e.column_name;
  switch (e.code) {
    case '23503':
      return new ApiError('parent_missing', 'A referenced row does not exist', details, { cause: e });
    case '23505':
      return new ApiError('conflict', 'A unique value is already taken', details, { cause: e });
    case '23502':
      return new ApiError('invalid_value', 'A required field is missing', details, { cause: e });
    case '23514':
      return new ApiError('invalid_value', 'A value violates a check constraint', details, { cause: e });
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
    case '22001':
    case '22023':
    case '2202E':
    case '22000':
      return new ApiError('invalid_value', 'A value has the wrong format or range', details, { cause: e });
    default:
      return undefined;
  }
}

const CONNECTION_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);

/**
 * True when the error means the database connection itself is gone (postgres.js connection codes,
 * SQLSTATE class 08 connection exception, 57P0x the server terminated us). Follows `cause` chains.
 */
export function isConnectionLost(e: unknown): boolean {
  for (let cur = e, depth = 0; cur && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08') || code.startsWith('57P'))) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}
