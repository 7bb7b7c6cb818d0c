// L4's state in Redis, nothing in process memory: the predictions themselves, the per-project ledger
// (made / used, and what they cost) and the per-project daily budget. Every change is one MULTI or one
// Lua script, so a restarted server — or a second server process — sees exactly what was acknowledged,
// and no crash between two commands can leave a prediction neither used nor counted.
//
// Money is kept in integer micro-dollars: INCRBYFLOAT drifts, and the budget check must be exact.
// Keys carry the project id as a Redis Cluster hash tag so a script's keys share one slot.
import type { Redis } from 'ioredis';

export const MICRO_USD = 1_000_000;

export function toMicroUsd(usd: number): number {
  return Math.round(usd * MICRO_USD);
}

export interface L4Keys {
  /** Hash: prediction id → prediction JSON (must carry `expiresAt` and `costMicroUsd`). */
  predictions: string;
  /** Hash: made, used, madeMicroUsd, usedMicroUsd, reportedWasted, reportedWastedMicroUsd. */
  ledger: string;
  /** String: micro-USD reserved for pre-generation on one UTC day (of the injected clock). */
  spend: (at: number) => string;
}

export function l4Keys(keyPrefix: string, projectId: string): L4Keys {
  const tag = `{${projectId}}`;
  return {
    predictions: `${keyPrefix}l4:${tag}:predictions`,
    ledger: `${keyPrefix}l4:${tag}:ledger`,
    spend: (at) => `${keyPrefix}l4:${tag}:spend:${Math.floor(at / 86_400_000)}`,
  };
}

/** Reserve `amount` if the day's spend stays within `budget`; returns false (and changes nothing) if not. */
const RESERVE = `
local spent = tonumber(redis.call('GET', KEYS[1]) or '0')
local amount = tonumber(ARGV[1])
if spent + amount > tonumber(ARGV[2]) then return 0 end
redis.call('INCRBY', KEYS[1], amount)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

/** Take a prediction for serving: only one caller can remove it, and only that one counts it as used. */
const TAKE = `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HINCRBY', KEYS[2], 'used', 1)
redis.call('HINCRBY', KEYS[2], 'usedMicroUsd', cjson.decode(json).costMicroUsd)
return 1`;

/**
 * Waste = made − used − still pending (unexpired, in the hash). Derived, not incremented per removal, so
 * predictions dropped by the hash's own Redis TTL (a project idle for days, never swept) still count as
 * waste. Removes the expired ones and returns what became waste since the last report, for the metrics.
 */
const SWEEP = `
local all = redis.call('HGETALL', KEYS[1])
local now = tonumber(ARGV[1])
local pending, pendingMicro = 0, 0
for i = 1, #all, 2 do
  local p = cjson.decode(all[i + 1])
  if p.expiresAt <= now then
    redis.call('HDEL', KEYS[1], all[i])
  else
    pending = pending + 1
    pendingMicro = pendingMicro + p.costMicroUsd
  end
end
local l = redis.call('HMGET', KEYS[2], 'made', 'used', 'madeMicroUsd', 'usedMicroUsd', 'reportedWasted', 'reportedWastedMicroUsd')
local wasted = (tonumber(l[1]) or 0) - (tonumber(l[2]) or 0) - pending
local wastedMicro = (tonumber(l[3]) or 0) - (tonumber(l[4]) or 0) - pendingMicro
local dWasted = wasted - (tonumber(l[5]) or 0)
local dMicro = wastedMicro - (tonumber(l[6]) or 0)
if dWasted ~= 0 or dMicro ~= 0 then
  redis.call('HSET', KEYS[2], 'reportedWasted', wasted, 'reportedWastedMicroUsd', wastedMicro)
end
return {dWasted, dMicro}`;

/**
 * The scripts as ioredis commands: EVALSHA, falling back to EVAL on NOSCRIPT (a restarted or flushed
 * Redis), so the script body is not resent on every call. Names are namespaced because the client may be
 * shared: defineCommand puts a method of that name on the client object.
 */
const COMMANDS = {
  storyforgeL4Reserve: { lua: RESERVE, numberOfKeys: 1 },
  storyforgeL4Take: { lua: TAKE, numberOfKeys: 2 },
  storyforgeL4Sweep: { lua: SWEEP, numberOfKeys: 2 },
} as const;

type Arg = string | number;
interface L4Commands {
  storyforgeL4Reserve(spendKey: string, microUsd: Arg, budgetMicroUsd: Arg, ttlMs: Arg): Promise<number>;
  storyforgeL4Take(predictionsKey: string, ledgerKey: string, id: string): Promise<number>;
  storyforgeL4Sweep(predictionsKey: string, ledgerKey: string, now: Arg): Promise<[number, number]>;
}

/** Clients that already carry COMMANDS: defining them again is skipped, not redone per ledger. */
const defined = new WeakSet<Redis>();

function withL4Commands(redis: Redis): Redis & L4Commands {
  if (!defined.has(redis)) {
    for (const [name, definition] of Object.entries(COMMANDS)) {
      // Another module defining the same name (or an ioredis method of it) would be silently replaced.
      if (name in redis) throw new Error(`Redis client already has a '${name}' command; L4 cannot define its script under that name`);
      redis.defineCommand(name, definition);
    }
    defined.add(redis);
  }
  // defineCommand adds the methods at runtime; their signatures are L4Commands (the scripts above).
  return redis as Redis & L4Commands;
}

export interface L4LedgerCounts {
  made: number;
  used: number;
  madeMicroUsd: number;
  usedMicroUsd: number;
}

export function createL4Ledger(client: Redis) {
  const redis = withL4Commands(client);
  return {
    async reserve(keys: L4Keys, at: number, microUsd: number, budgetMicroUsd: number): Promise<boolean> {
      // The spend key outlives its day by one (a restart near midnight still sees it), then Redis drops it.
      return Number(await redis.storyforgeL4Reserve(keys.spend(at), microUsd, budgetMicroUsd, 2 * 86_400_000)) === 1;
    },
    async refund(keys: L4Keys, at: number, microUsd: number): Promise<void> {
      await redis.decrby(keys.spend(at), microUsd);
    },
    async spent(keys: L4Keys, at: number): Promise<number> {
      return Number((await redis.get(keys.spend(at))) ?? 0);
    },
    /** Stores a finished pre-generation and counts it as made, in one MULTI. */
    async record(keys: L4Keys, id: string, json: string, costMicroUsd: number, hashTtlMs: number): Promise<void> {
      await redis
        .multi()
        .hset(keys.predictions, id, json)
        .pexpire(keys.predictions, hashTtlMs)
        .hincrby(keys.ledger, 'made', 1)
        .hincrby(keys.ledger, 'madeMicroUsd', costMicroUsd)
        .exec();
    },
    async take(keys: L4Keys, id: string): Promise<boolean> {
      return Number(await redis.storyforgeL4Take(keys.predictions, keys.ledger, id)) === 1;
    },
    async sweep(keys: L4Keys, now: number): Promise<{ wasted: number; wastedMicroUsd: number }> {
      const [wasted, wastedMicroUsd] = await redis.storyforgeL4Sweep(keys.predictions, keys.ledger, now);
      return { wasted, wastedMicroUsd };
    },
    async predictions(keys: L4Keys): Promise<string[]> {
      return Object.values(await redis.hgetall(keys.predictions));
    },
    async counts(keys: L4Keys): Promise<L4LedgerCounts> {
      const l = await redis.hmget(keys.ledger, 'made', 'used', 'madeMicroUsd', 'usedMicroUsd');
      return { made: Number(l[0] ?? 0), used: Number(l[1] ?? 0), madeMicroUsd: Number(l[2] ?? 0), usedMicroUsd: Number(l[3] ?? 0) };
    },
  };
}

export type L4Ledger = ReturnType<typeof createL4Ledger>;
