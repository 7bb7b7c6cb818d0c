import type { Redis } from 'ioredis';
import type { CachedVideo } from '../generation/types';

export const L1_TTL_MS = 30 * 86_400_000;

export interface L1ExactCacheOptions {
  redis: Redis;
  keyPrefix: string;
  now: () => number;
  ttlMs?: number;
}

export interface L1Entry {
  video: CachedVideo;
  accessCount: number;
  lastAccessAt: number;
  createdAt: number;
}

export interface L1ExactCache {
  get(key: string): Promise<L1Entry | null>;
  /** `notAfter` caps the expiry (an L1 copy of an L2 hit never outlives the entry it came from). */
  set(key: string, video: CachedVideo, notAfter?: number): Promise<void>;
}

// One round trip per lookup: check the logical expiry against the injected clock, and on a hit bump
// the access count and last-access time atomically. (Expiry is logical because the clock is injected —
// a replay moves months in seconds; the real PEXPIRE below still bounds memory in production.)
const GET_SCRIPT = `
local v = redis.call('HMGET', KEYS[1], 'video', 'expiresAt', 'createdAt')
if not v[1] then return nil end
if tonumber(v[2]) <= tonumber(ARGV[1]) then redis.call('DEL', KEYS[1]) return nil end
local n = redis.call('HINCRBY', KEYS[1], 'accessCount', 1)
redis.call('HSET', KEYS[1], 'lastAccessAt', ARGV[1])
return {v[1], tostring(n), v[3]}`;

/** L1: exact canonical-request key → video, in Redis, 30 d TTL, access count + last access tracked. */
export function createL1ExactCache(options: L1ExactCacheOptions): L1ExactCache {
  const { redis, keyPrefix, now } = options;
  const ttlMs = options.ttlMs ?? L1_TTL_MS;
  const k = (key: string): string => `${keyPrefix}l1:${key}`;
  return {
    async get(key) {
      const t = now();
      const res = (await redis.eval(GET_SCRIPT, 1, k(key), String(t))) as [string, string, string] | null;
      if (res === null) return null;
      return { video: JSON.parse(res[0]) as CachedVideo, accessCount: Number(res[1]), lastAccessAt: t, createdAt: Number(res[2]) };
    },
    async set(key, video, notAfter) {
      const t = now();
      const expiresAt = Math.min(t + ttlMs, notAfter ?? Number.POSITIVE_INFINITY);
      if (expiresAt <= t) return;
      await redis
        .multi()
        .hset(k(key), { video: JSON.stringify(video), createdAt: t, expiresAt, accessCount: 0, lastAccessAt: t })
        .pexpire(k(key), expiresAt - t)
        .exec();
    },
  };
}
