import { createMiddleware } from 'hono/factory';
import { ApiError } from '../errors/api-error';
import { bearerToken, verifyToken } from './tokens';

export interface AuthVariables {
  userId: string;
}

/** Rejects requests without a valid bearer token (401 `unauthorized` / `token_expired`); sets `c.var.userId`. */
export function requireAuth(jwtSecret: string) {
  return createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (!token) throw new ApiError('unauthorized', 'Missing `Authorization: Bearer <token>` header');
    const { userId } = await verifyToken(token, jwtSecret);
    c.set('userId', userId);
    await next();
  });
}
