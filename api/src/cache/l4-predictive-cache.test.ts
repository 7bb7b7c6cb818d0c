// L4 keeps everything in Redis: each "restart" here is a NEW cache instance on a NEW Redis connection,
// sharing only the key prefix, exactly what a restarted server process has.
import { randomUUID } from 'node:crypto';
import { testKeyPrefix, testRedisUrl } from '@storyforge/db/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheRequest, CachedVideo } from '../generation/types';
import type { L2Probe } from './l2-semantic-cache';
import { l4Keys } from './l4-ledger';
import { createL4PredictiveCache, L4_TTL_MS, type L4PredictiveCache, type PregenerateOptions } from './l4-predictive-cache';
import type { PredictedPrompt } from './predict-next-prompts';

const DAY = 86_400_000;
const prefix = testKeyPrefix();
const connections: Redis[] = [];
let clock = Date.UTC(2026, 2, 1, 9);

beforeAll(() => {
  connections.push(new Redis(testRedisUrl()));
});
afterAll(() => {
  for (const c of connections) c.disconnect();
});

/** A fresh process's view: its own connection and cache object, nothing shared but Redis. */
function startServer(options: { dailyBudgetUsd?: number } = {}): L4PredictiveCache {
  const redis = new Redis(testRedisUrl());
  connections.push(redis);
  return createL4PredictiveCache({ redis, keyPrefix: prefix, now: () => clock, ...options });
}

/** Prompts map to orthogonal unit vectors by their first word, so "same beat" is similarity 1. */
const AXES = ['storm', 'meeting', 'chase', 'finale'];
function probeOf(prompt: string): L2Probe {
  const v = new Float32Array(AXES.length);
  v[Math.max(0, AXES.indexOf(prompt.split(' ')[0] ?? ''))] = 1;
  return { embedding: v, salientTokens: [] };
}

function request(projectId: string, prompt = 'opening shot'): CacheRequest {
  return {
    tenantId: TENANT,
    projectId,
    prompt,
    parameters: { lighting: 0, camera_angle: 0, mood: 0, pacing: 0, model_provider: 'simulated' },
    brainId: null,
    modelVersion: 'sim-1',
  };
}
const TENANT = randomUUID();

function video(prompt: string): CachedVideo {
  return { videoUrl: `/v1/media/${prompt.replaceAll(' ', '-')}.mp4`, thumbnailUrl: '/v1/media/t.jpg', costUsd: 0.5, generationMs: 20_000, sourceRequestId: `pregen:${prompt}` };
}

function pregen(projectId: string, prompts: string[], generate = async (p: PredictedPrompt) => video(p.prompt)): PregenerateOptions {
  return {
    request: request(projectId),
    predictions: prompts.map((prompt, i) => ({ beatKey: `b${i}`, prompt, confidence: 0.9 })),
    probe: async (prompt) => probeOf(prompt),
    fullCostUsd: 0.5,
    generate,
  };
}

const lookup = (cache: L4PredictiveCache, projectId: string, prompt: string) => cache.lookup(request(projectId, prompt), probeOf(prompt));

describe('L4 predictive cache state lives in Redis', () => {
  it('a pre-generation recorded before a restart is a hit after it, exactly once', async () => {
    const projectId = randomUUID();
    const before = startServer();
    expect(await before.pregenerate(pregen(projectId, ['storm over the pier']))).toEqual({ generated: 1, spentUsd: 0.5 });

    const after = startServer();
    const hit = await lookup(after, projectId, 'storm over the pier');
    expect(hit?.video).toEqual(video('storm over the pier'));
    expect(hit?.similarity).toBeCloseTo(1, 6);
    expect(await lookup(startServer(), projectId, 'storm over the pier')).toBeNull();
    expect(await startServer().stats(projectId)).toMatchObject({ made: 1, used: 1, pending: 0, wasted: 0, madeUsd: 0.5, usedUsd: 0.5 });
  });

  it('does not serve another scope, an unrelated prompt or an expired prediction', async () => {
    const projectId = randomUUID();
    const cache = startServer();
    await cache.pregenerate(pregen(projectId, ['storm over the pier']));
    expect(await cache.lookup({ ...request(projectId, 'storm over the pier'), tenantId: randomUUID() }, probeOf('storm'))).toBeNull();
    expect(await cache.lookup({ ...request(projectId, 'storm over the pier'), modelVersion: 'sim-2' }, probeOf('storm'))).toBeNull();
    expect(await lookup(cache, projectId, 'chase through the market')).toBeNull();
    clock += L4_TTL_MS;
    expect(await lookup(startServer(), projectId, 'storm over the pier')).toBeNull();
    clock += DAY;
  });

  it('the budget spent survives a restart and resets on the next UTC day', async () => {
    const projectId = randomUUID();
    clock = Date.UTC(2026, 2, 10, 9);
    expect((await startServer({ dailyBudgetUsd: 1 }).pregenerate(pregen(projectId, ['storm a', 'meeting b']))).generated).toBe(2);
    const restarted = startServer({ dailyBudgetUsd: 1 });
    expect((await restarted.stats(projectId)).spentTodayUsd).toBe(1);
    expect((await restarted.pregenerate(pregen(projectId, ['chase c']))).generated).toBe(0);
    clock = Date.UTC(2026, 2, 11, 0, 1);
    expect((await startServer({ dailyBudgetUsd: 1 }).pregenerate(pregen(projectId, ['chase c']))).generated).toBe(1);
  });

  it('concurrent processes cannot overspend the budget or serve one prediction twice', async () => {
    const projectId = randomUUID();
    clock = Date.UTC(2026, 2, 20, 9);
    const results = await Promise.all(Array.from({ length: 6 }, () => startServer({ dailyBudgetUsd: 1 }).pregenerate(pregen(projectId, ['storm x']))));
    expect(results.reduce((n, r) => n + r.generated, 0)).toBe(2);
    const hits = await Promise.all(Array.from({ length: 5 }, () => lookup(startServer(), projectId, 'storm x')));
    // Two predictions of the same beat: two requests are served, each by a different one.
    const served = hits.filter((h) => h !== null).map((h) => h?.predictionId);
    expect(served).toHaveLength(2);
    expect(new Set(served).size).toBe(2);
    expect(await startServer().stats(projectId)).toMatchObject({ made: 2, used: 2, pending: 0, wasted: 0 });
  });

  it('a failed generation gives its budget reservation back and records nothing', async () => {
    const projectId = randomUUID();
    const cache = startServer({ dailyBudgetUsd: 1 });
    const failing = pregen(projectId, ['storm y'], async () => {
      throw new Error('provider down');
    });
    await expect(cache.pregenerate(failing)).rejects.toThrow('provider down');
    expect(await startServer().stats(projectId)).toMatchObject({ made: 0, spentTodayUsd: 0 });
  });

  it('waste (made, never used before expiry) is computed from Redis across restarts and reported once', async () => {
    const projectId = randomUUID();
    clock = Date.UTC(2026, 3, 1, 9);
    await startServer().pregenerate(pregen(projectId, ['storm z', 'meeting z', 'chase z']));
    expect(await lookup(startServer(), projectId, 'meeting z')).not.toBeNull();
    expect(await startServer().sweep(projectId)).toEqual({ wasted: 0, wastedUsd: 0 });
    expect(await startServer().stats(projectId)).toMatchObject({ made: 3, used: 1, pending: 2, wasted: 0 });

    clock += L4_TTL_MS + 1;
    expect(await startServer().stats(projectId)).toMatchObject({ pending: 0, wasted: 2, wastedUsd: 1, madeUsd: 1.5, usedUsd: 0.5 });
    expect(await startServer().sweep(projectId)).toEqual({ wasted: 2, wastedUsd: 1 });
    // Another process sweeping the same project does not count the same waste again.
    expect(await startServer().sweep(projectId)).toEqual({ wasted: 0, wastedUsd: 0 });
    expect(await connections[0]?.hlen(l4Keys(prefix, projectId).predictions)).toBe(0);
    expect(await startServer().stats(projectId)).toMatchObject({ made: 3, used: 1, wasted: 2, wastedUsd: 1 });
  });

  it('predictions dropped by the Redis TTL before any sweep still count as waste', async () => {
    const projectId = randomUUID();
    clock = Date.UTC(2026, 4, 1, 9);
    await startServer().pregenerate(pregen(projectId, ['storm w', 'finale w']));
    // What the hash's PEXPIRE does to a project nobody touches for two days.
    await connections[0]?.del(l4Keys(prefix, projectId).predictions);
    clock += 3 * DAY;
    expect(await startServer().stats(projectId)).toMatchObject({ made: 2, used: 0, wasted: 2, wastedUsd: 1 });
    expect(await startServer().sweep(projectId)).toEqual({ wasted: 2, wastedUsd: 1 });
  });

  it('pre-generates only confident predictions', async () => {
    const projectId = randomUUID();
    const options = pregen(projectId, ['storm v', 'meeting v']);
    const low = { ...options, predictions: options.predictions.map((p, i) => ({ ...p, confidence: i === 0 ? 0.39 : 0.4 })) };
    expect((await startServer().pregenerate(low)).generated).toBe(1);
    expect(await lookup(startServer(), projectId, 'storm v')).toBeNull();
    expect(await lookup(startServer(), projectId, 'meeting v')).not.toBeNull();
  });
});
