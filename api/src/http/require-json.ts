import { createMiddleware } from 'hono/factory';
import type { z } from 'zod';
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

/**
 * Parses the JSON body against `schema`, or throws 400 `invalid_body` with `message` and the first 20 issues
 * (path, message, zod code) so a client can point at the field.
 */
export async function readBody<T extends z.ZodType>(req: { json: () => Promise<unknown> }, schema: T, message: string): Promise<z.infer<T>> {
  const parsed = schema.safeParse(await readJson(req));
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String), message: i.message, code: i.code }));
    throw new ApiError('invalid_body', message, { issues });
  }
  return parsed.data;
}
