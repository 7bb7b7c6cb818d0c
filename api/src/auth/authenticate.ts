import { isApiError } from '../errors/api-error';
import { bearerToken, verifyToken } from './tokens';

export type Authenticate = (req: Request) => Promise<{ userId: string } | null>;

/**
 * For the sync server (which never imports api code, so the lead injects this): a valid
 * `Authorization: Bearer <jwt>` → `{ userId }`; missing, invalid or expired → null.
 *
 * @example const authenticate = createAuthenticate({ jwtSecret }); await authenticate(request)
 */
export function createAuthenticate({ jwtSecret }: { jwtSecret: string }): Authenticate {
  return async (req) => {
    const token = bearerToken(req.headers.get('authorization'));
    if (!token) return null;
    try {
      return await verifyToken(token, jwtSecret);
    } catch (e) {
      if (isApiError(e)) return null;
      throw e;
    }
  };
}
