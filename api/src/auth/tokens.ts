import { sign, verify } from 'hono/jwt';
import { JwtTokenExpired } from 'hono/utils/jwt/types';
import { z } from 'zod';
import { ApiError } from '../errors/api-error';

const ALG = 'HS256';
/** Default token lifetime: one day (dev logins; a real identity provider sets its own). */
export const DEFAULT_TOKEN_TTL_SECONDS = 24 * 60 * 60;

export interface IssueTokenOptions {
  userId: string;
  secret: string;
  /** Server time in ms (injected so tests can mint expired tokens). */
  now: number;
  ttlSeconds?: number;
}

/** A signed HS256 JWT with claims `{ sub: userId, iat, exp }`. */
export function issueToken({ userId, secret, now, ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS }: IssueTokenOptions): Promise<string> {
  const iat = Math.floor(now / 1000);
  return sign({ sub: userId, iat, exp: iat + ttlSeconds }, secret, ALG);
}

const claimsSchema = z.object({ sub: z.uuid() });

/** Verifies signature, algorithm and `exp`; returns the user id or throws `unauthorized` / `token_expired`. */
export async function verifyToken(token: string, secret: string): Promise<{ userId: string }> {
  let payload: unknown;
  try {
    payload = await verify(token, secret, { alg: ALG, iat: false });
  } catch (e) {
    // Classified by error class, never by message text.
    if (e instanceof JwtTokenExpired) throw new ApiError('token_expired', 'The token has expired; log in again', {}, { cause: e });
    throw new ApiError('unauthorized', 'The token is invalid', {}, { cause: e });
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw new ApiError('unauthorized', 'The token has no valid `sub` (user id) claim');
  return { userId: claims.data.sub };
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The bearer token of an Authorization header value, or undefined. */
export function bearerToken(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  return BEARER.exec(header)?.[1];
}
