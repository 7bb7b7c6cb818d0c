/**
 * Every failure the API reports, as data. Clients switch on `code` (never on `message`), so codes are a
 * closed union and each maps to exactly one HTTP status.
 */
export const API_ERROR_STATUS = {
  invalid_body: 400,
  invalid_hlc: 400,
  unknown_table: 400,
  unknown_field: 400,
  invalid_value: 400,
  invalid_vector: 400,
  invalid_position: 400,
  /** The Idempotency-Key header is not 1–255 printable ASCII characters. */
  invalid_idempotency_key: 400,
  unauthorized: 401,
  token_expired: 401,
  insufficient_credits: 402,
  forbidden: 403,
  forbidden_field: 403,
  not_found: 404,
  parent_missing: 409,
  deleted: 409,
  conflict: 409,
  /** A request with this Idempotency-Key is still running: retry after the `retry-after` header's seconds. */
  idempotency_request_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  /** This Idempotency-Key was used for a different request body: use a new key for a new request. */
  idempotency_key_reused: 422,
  rate_limited: 429,
  internal: 500,
  /** A service the request depends on (video provider, hosted embedder) failed; retrying later may work. */
  upstream_failed: 502,
} as const satisfies Record<string, number>;

export type ApiErrorCode = keyof typeof API_ERROR_STATUS;
export type ApiErrorStatus = (typeof API_ERROR_STATUS)[ApiErrorCode];

/** JSON body of every error response and of every rejected mutation. */
export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  details: Record<string, unknown>;
}

/** The one error class of the API; `status` follows from `code`. */
export class ApiError extends Error {
  readonly status: ApiErrorStatus;
  readonly details: Record<string, unknown>;

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.status = API_ERROR_STATUS[code];
    this.details = details;
  }

  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
