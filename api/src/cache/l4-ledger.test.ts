// The L4 scripts go through ioredis defineCommand (EVALSHA, EVAL on NOSCRIPT), against the tests' real
// Redis. A MONITOR connection shows what was actually sent for this file's keys. It is a plain socket:
// ioredis's own monitor() races its ready check (INFO) against the monitor feed of a busy shared Redis
// ("Command queue state error … Last reply: … \"info\"", seen in CI; redis/ioredis#1981).
import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { testKeyPrefix, testRedisUrl } from '@storyforge/db/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createL4Ledger, l4Keys } from './l4-ledger';

const prefix = testKeyPrefix();
const at = Date.UTC(2026, 2, 1, 9);
let redis: Redis;
let monitor: Socket;
/** Commands Redis ran on this file's keys, and SCRIPT FLUSHes, in order (lower-case names). */
const seen: string[] = [];

/** One MONITOR line: `+1712098529.327989 [0 127.0.0.1:62763] "evalsha" "ab12…" "1" "key"` → source + args. */
function parseMonitorLine(line: string): { source: string; args: string[] } | null {
  const m = /^\+\d+\.\d+ \[\d+ ([^\]]+)\] (.*)$/.exec(line);
  if (m === null) return null;
  const args = [...(m[2] ?? '').matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((a) => (a[1] ?? '').replace(/\\(.)/g, '$1'));
  return { source: m[1] ?? '', args };
}

beforeAll(async () => {
  redis = new Redis(testRedisUrl());
  const url = new URL(testRedisUrl());
  monitor = connect({ host: url.hostname, port: Number(url.port) });
  let buffered = '';
  let started!: () => void;
  const ok = new Promise<void>((resolve) => (started = resolve));
  monitor.setEncoding('utf8');
  monitor.on('data', (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf('\r\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      if (line === '+OK') started();
      const parsed = parseMonitorLine(line);
      // Commands a script runs are monitored too (source "lua"): only what the client sent counts here.
      if (parsed === null || parsed.source === 'lua') continue;
      const name = parsed.args[0]?.toLowerCase() ?? '';
      if (name === 'script' || parsed.args.some((a) => a.startsWith(prefix))) seen.push(name === 'script' ? `script ${parsed.args[1]?.toLowerCase()}` : name);
    }
  });
  monitor.write('MONITOR\r\n');
  await ok;
});
afterAll(() => {
  monitor?.destroy();
  redis?.disconnect();
});

/** MONITOR lines arrive asynchronously: wait until `n` have been seen. */
async function seenAfter(n: number): Promise<string[]> {
  for (let i = 0; i < 100 && seen.length < n; i++) await sleep(10);
  return seen.splice(0);
}

describe('L4 ledger scripts (defineCommand)', () => {
  it('survive SCRIPT FLUSH between two calls: EVALSHA answers NOSCRIPT, the script is sent again, the result is the same', async () => {
    const ledger = createL4Ledger(redis);
    const keys = l4Keys(prefix, randomUUID());
    expect(await ledger.reserve(keys, at, 10, 25)).toBe(true);
    expect(await ledger.reserve(keys, at, 10, 25)).toBe(true);
    const before = await seenAfter(2);
    // Later calls on a connection send the hash, not the script body.
    expect(before.at(-1)).toBe('evalsha');

    await redis.script('FLUSH');
    expect(await ledger.reserve(keys, at, 10, 25)).toBe(false);
    expect(await ledger.spent(keys, at)).toBe(20);
    expect(await seenAfter(4)).toEqual(['script flush', 'evalsha', 'eval', 'get']);

    // TAKE and SWEEP after a flush too: one caller takes a prediction, the expired one becomes waste.
    await ledger.record(keys, 'p1', JSON.stringify({ expiresAt: at + 1_000, costMicroUsd: 7 }), 7, 60_000);
    await ledger.record(keys, 'p2', JSON.stringify({ expiresAt: at - 1_000, costMicroUsd: 5 }), 5, 60_000);
    await redis.script('FLUSH');
    expect(await Promise.all([ledger.take(keys, 'p1'), ledger.take(keys, 'p1')])).toEqual([true, false]);
    await redis.script('FLUSH');
    expect(await ledger.sweep(keys, at)).toEqual({ wasted: 1, wastedMicroUsd: 5 });
    expect(await ledger.counts(keys)).toEqual({ made: 2, used: 1, madeMicroUsd: 12, usedMicroUsd: 7 });
  });

  it('defines its commands once on a shared client, and refuses a name another module already uses', async () => {
    const a = createL4Ledger(redis);
    const b = createL4Ledger(redis);
    const keys = l4Keys(prefix, randomUUID());
    expect(await a.reserve(keys, at, 10, 15)).toBe(true);
    expect(await b.reserve(keys, at, 10, 15)).toBe(false);

    const other = new Redis(testRedisUrl(), { lazyConnect: true });
    other.defineCommand('storyforgeL4Take', { lua: 'return 42', numberOfKeys: 0 });
    expect(() => createL4Ledger(other)).toThrow(/storyforgeL4Take/);
    other.disconnect();
  });
});
