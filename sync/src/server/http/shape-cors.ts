import { EXPOSED_HEADERS } from '../../protocol/constants';

/**
 * CORS headers of every GET /v1/shape response (shapes are public to any origin; access is decided by the
 * bearer token, not by cookies). Written into each Response's init headers instead of by the cors
 * middleware: the middleware's headers make Hono rebuild every response object, which measurably costs
 * CPU when a change wakes thousands of live requests at once. Preflight (OPTIONS) still goes through it.
 */
export const SHAPE_CORS_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'access-control-allow-origin': '*',
  'access-control-expose-headers': EXPOSED_HEADERS.join(','),
});
