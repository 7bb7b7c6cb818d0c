import { createMiddleware } from 'hono/factory';
import { ApiError } from '../errors/api-error';

export interface RateLimitOptions {
  /** Sustained requests per second per key. */
  ratePerSecond: number;
  /** Bucket size: how many requests may arrive at once. */
  burst: number;
  /** Clock in ms (injected for tests). */
  now: () => number;
  /** Request → bucket key (the user id after auth); undefined = not limited. */
  key: (c: { get: (k: 'userId') => string | undefined }) => string | undefined;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * In-memory token bucket per key → 429 `rate_limited` with `retry-after`. Per process: with several API
 * processes the effective limit multiplies, which is acceptable for abuse protection (not billing).
 */
export function rateLimit({ ratePerSecond, burst, now, key }: RateLimitOptions) {
  const buckets = new Map<string, Bucket>();
  return createMiddleware<{ Variables: { userId: string } }>(async (c, next) => {
    const k = key({ get: (name) => c.get(name) });
    if (k === undefined) return next();
    const t = now();
    const b = buckets.get(k) ?? { tokens: burst, at: t };
    b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * ratePerSecond);
    b.at = t;
    if (b.tokens < 1) {
      buckets.set(k, b);
      const retryAfter = Math.max(1, Math.ceil((1 - b.tokens) / ratePerSecond));
      c.header('retry-after', String(retryAfter));
      throw new ApiError('rate_limited', 'Too many requests; slow down', { retryAfterSeconds: retryAfter });
    }
    b.tokens -= 1;
    buckets.set(k, b);
    // Bound memory: forget full buckets once the map grows large.
    if (buckets.size > 10_000) for (const [kk, bb] of buckets) if (bb.tokens >= burst - 1) buckets.delete(kk);
    await next();
  });
}
