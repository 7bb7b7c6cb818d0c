import { createMiddleware } from 'hono/factory';
import { ApiError } from '../errors/api-error';

/** 415 `unsupported_media_type` unless the request body is declared as JSON. */
export const requireJson = createMiddleware(async (c, next) => {
  const type = c.req.header('content-type') ?? '';
  const mime = type.split(';')[0]?.trim().toLowerCase();
  if (mime !== 'application/json') {
    throw new ApiError('unsupported_media_type', 'Send the body as `content-type: application/json`', { contentType: type });
  }
  await next();
});

/** Parses the JSON body or throws 400 `invalid_body`. */
export async function readJson(req: { json: () => Promise<unknown> }): Promise<unknown> {
  try {
    return await req.json();
  } catch (e) {
    throw new ApiError('invalid_body', 'The body is not valid JSON', {}, { cause: e });
  }
}
