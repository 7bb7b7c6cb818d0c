import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { ApiError, isApiError } from '../errors/api-error';

/** The single error → response mapping: every error becomes `{ code, message, details }`. */
export function errorHandler(logger: Logger) {
  return (err: Error, c: Context) => {
    let apiError: ApiError;
    if (isApiError(err)) apiError = err;
    else if (err instanceof HTTPException && err.status === 413) apiError = new ApiError('payload_too_large', 'The body is too large');
    else if (err instanceof HTTPException && err.status < 500) {
      apiError = new ApiError('invalid_body', err.message || 'Bad request', { status: err.status }, { cause: err });
    } else apiError = new ApiError('internal', 'Internal server error', {}, { cause: err });
    const requestId = c.get('requestId') as string | undefined;
    if (apiError.status >= 500) logger.error({ err, requestId, path: c.req.path }, 'request failed');
    else logger.debug({ code: apiError.code, requestId, path: c.req.path }, 'request rejected');
    c.header('cache-control', 'no-store');
    return c.json({ ...apiError.toBody(), ...(requestId ? { requestId } : {}) }, apiError.status);
  };
}
