import { WHERE_PARAM } from '../../protocol/constants';

/**
 * Why a `where` (or its `params`) was refused. A closed set so the HTTP layer and tests switch on codes,
 * never on message text.
 */
export type WhereErrorCode =
  | 'where_syntax' // the SQL parser rejected the text
  | 'where_unsupported' // parsed, but outside the safe subset (functions, subqueries, operators …)
  | 'where_unknown_column' // not a column of the table (or not in the caller's allowlist)
  | 'where_type' // an operator that does not apply to the column's type, or a value of the wrong type
  | 'where_param'; // `$n` missing, out of range, or its value invalid for the column type

/** Body of Electric's 400 response: `{"message":"Invalid request","errors":{"where":["…"]}}`. */
export interface InvalidRequestBody {
  message: 'Invalid request';
  errors: Record<string, string[]>;
}

export interface WhereErrorDetails {
  /** The request parameter the client should fix: always `where` (params are reported under it too). */
  param: typeof WHERE_PARAM;
  /** Character offset in the where text, when the parser or compiler knows it. */
  position?: number;
}

/**
 * A refused where clause: always a client error (HTTP 400, not retried by `@electric-sql/client`).
 *
 * @example
 *   try { compileWhere(input) } catch (e) {
 *     if (e instanceof WhereError) return c.json(e.toResponseBody(), e.status)
 *   }
 */
export class WhereError extends Error {
  override readonly name = 'WhereError';
  readonly status = 400 as const;
  readonly code: WhereErrorCode;
  readonly details: WhereErrorDetails;

  constructor(code: WhereErrorCode, message: string, options: { position?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.position === undefined ? { param: WHERE_PARAM } : { param: WHERE_PARAM, position: options.position };
  }

  toResponseBody(): InvalidRequestBody {
    return { message: 'Invalid request', errors: { [WHERE_PARAM]: [this.message] } };
  }
}
