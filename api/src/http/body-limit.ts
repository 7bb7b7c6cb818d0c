import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../errors/api-error';

/** Default request body cap: a 500-mutation batch of small rows fits well under this. */
export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;

/** hono's body limit, reporting 413 `payload_too_large` through the shared error handler. */
export function limitBody(maxBytes: number) {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError('payload_too_large', `The body exceeds ${maxBytes} bytes`, { maxBytes });
    },
  });
}
