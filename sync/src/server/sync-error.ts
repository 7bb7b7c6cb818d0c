/** Closed set of failure codes of the sync server; switch on these, never on message text. */
export type SyncErrorCode =
  | 'invalid_request' // a bad query parameter (400)
  | 'unknown_table' // table does not exist or is not allowed (400)
  | 'no_primary_key' // table has no primary key, cannot be shaped (400)
  | 'unauthorized' // authentication required/failed (401)
  | 'must_refetch' // the handle cannot be served any more (409)
  | 'not_ready' // replication not running yet (503)
  | 'replication_failed' // the replication stream broke (internal)
  | 'store_failed'; // the shape-log store failed (internal)

export interface SyncErrorOptions {
  status?: number;
  /** Per-parameter messages in Electric's 400 body: `{ errors: { <param>: [message] } }`. */
  details?: Record<string, string[]>;
  cause?: unknown;
}

const defaultStatus: Record<SyncErrorCode, number> = {
  invalid_request: 400,
  unknown_table: 400,
  no_primary_key: 400,
  unauthorized: 401,
  must_refetch: 409,
  not_ready: 503,
  replication_failed: 500,
  store_failed: 500,
};

export class SyncError extends Error {
  override readonly name = 'SyncError';
  readonly code: SyncErrorCode;
  readonly status: number;
  readonly details: Record<string, string[]>;

  constructor(code: SyncErrorCode, message: string, options: SyncErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? defaultStatus[code];
    this.details = options.details ?? {};
  }
}

/** A 400 for one request parameter, in the shape Electric's client expects. */
export function invalidParam(param: string, message: string, code: SyncErrorCode = 'invalid_request'): SyncError {
  return new SyncError(code, message, { details: { [param]: [message] } });
}
