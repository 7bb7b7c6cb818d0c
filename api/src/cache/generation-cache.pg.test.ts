import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, testKeyPrefix, testRedisUrl, type TestDatabase } from '@storyforge/db/testing';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { l1Key } from '../generation/canonical-request';
import { createSimulatedProvider } from '../generation/simulated-provider';
import type { CacheRequest } from '../generation/types';
import { createLocalMediaStore } from '../media/local-media-store';
import { buildGenerationCache } from './build-generation-cache';
import type { GenerationCache } from './generation-cache';
import { createL1ExactCache } from './l1-exact-cache';

const DAY = 86_400_000;
let db: TestDatabase;
let redis: Redis;
let dir: string;
let clock = Date.UTC(2026, 0, 1);
let cache: GenerationCache;
const registry = new Registry();
const keyPrefix = testKeyPrefix();

beforeAll(async () => {
  db = await createTestDatabase();
  redis = new Redis(testRedisUrl());
  dir = await mkdtemp(join(tmpdir(), 'sf-media-'));
  cache = buildGenerationCache({
    sql: db.sql,
    redis,
    media: createLocalMediaStore({ dir }),
    providers: new Map([['simulated', createSimulatedProvider()]]),
    now: () => clock,
    keyPrefix,
    registry,
  });
});
afterAll(async () => {
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
  await db.drop();
});

function request(prompt: string, overrides: Partial<CacheRequest> = {}): CacheRequest {
  return {
    tenantId: overrides.tenantId ?? tenant,
    projectId: overrides.projectId ?? project,
    prompt,
    parameters: { lighting: 0.2, camera_angle: 0, mood: -0.5, pacing: 0.5, model_provider: 'simulated' },
    brainId: null,
    modelVersion: 'sim-1',
    ...overrides,
  };
}
const tenant = randomUUID();
const project = randomUUID();
const serve = (req: CacheRequest, extra: { regenerate?: boolean } = {}) => cache.serve(req, { requestId: randomUUID(), ...extra });

describe('generation cache L1–L3 (real Redis, Postgres, disk)', () => {
  it('miss → exact repeat is L1 at $0 → filler paraphrase is L2 → one changed colour is not a hit', async () => {
    const first = await serve(request('a red car parked on a street at night'));
    expect(first.layer).toBe('miss');
    expect(first.costUsd).toBe(0.5);
    const exact = await serve(request('A red car parked on a street at night!'));
    expect(exact.layer).toBe('L1');
    expect(exact.costUsd).toBe(0);
    expect(exact.video.videoUrl).toBe(first.video.videoUrl);
    const para = await serve(request('please show me a red car parked on the street at night'));
    expect(para.layer).toBe('L2');
    expect(para.video.sourceRequestId).toBe(first.video.sourceRequestId);
    expect(para.similarity).toBeGreaterThanOrEqual(0.95);
    const blue = await serve(request('a blue car parked on a street at night'));
    expect(['miss', 'L3']).toContain(blue.layer);
    expect(blue.video.videoUrl).not.toBe(first.video.videoUrl);
  });

  it('never serves across tenants or with a different provider setting', async () => {
    const other = await serve(request('a red car parked on a street at night', { tenantId: randomUUID(), projectId: randomUUID() }));
    expect(other.layer).toBe('miss');
    const moved = await serve(request('a red car parked on a street at night', { parameters: { lighting: 0.9, camera_angle: 0, mood: -0.5, pacing: 0.5, model_provider: 'simulated' } }));
    expect(['miss', 'L3']).toContain(moved.layer);
  });

  it('regenerate bypasses every layer and still pays', async () => {
    const again = await serve(request('a red car parked on a street at night'), { regenerate: true });
    expect(['miss']).toContain(again.layer);
    expect(again.costUsd).toBeGreaterThan(0);
  });

  it('honours TTLs on the injected clock: L1 gone after 30 d, L2 after 90 d', async () => {
    const prompt = 'a lighthouse on a cliff in a storm';
    expect((await serve(request(prompt))).layer).toBe('miss');
    clock += 31 * DAY;
    expect((await serve(request(prompt))).layer).toBe('L2');
    clock += 60 * DAY;
    expect(['miss', 'L3']).toContain((await serve(request(prompt))).layer);
  });

  it('a repeat scene reuses L3 components (partial cost) and identical media are stored once', async () => {
    const a = await serve(request('Mara walks her dog in the old harbour town', { characterNames: ['Mara'] }));
    const b = await serve(request('Mara feeds the seagulls in the old harbour town', { characterNames: ['Mara'] }));
    expect(a.layer).toBe('miss');
    expect(b.layer).toBe('L3');
    expect(b.costUsd).toBeLessThan(a.costUsd);
    expect(b.componentReuse).toBeGreaterThan(0);
    const [row] = await db.sql<{ n: string; refs: string }[]>`select count(*) as n, sum(ref_count) as refs from media_assets`;
    expect(Number(row?.refs)).toBeGreaterThan(Number(row?.n));
  });

  it('hits keep their bookkeeping: L2 hit count and last hit in Postgres, L1 access count and last access in Redis', async () => {
    const tenantId = randomUUID();
    const req = (prompt: string) => request(prompt, { tenantId, projectId: randomUUID() });
    const first = await serve(req('a paper boat drifting down a gutter in the rain'));
    expect(first.layer).toBe('miss');
    const entry = async () =>
      (await db.sql<{ hit_count: number; last_hit_at: Date | null }[]>`
        select hit_count, last_hit_at from semantic_cache_entries where source_request_id = ${first.video.sourceRequestId}`)[0];
    expect(await entry()).toEqual({ hit_count: 0, last_hit_at: null });
    clock += 60_000;
    expect((await serve(req('please show me a paper boat drifting down the gutter in the rain'))).layer).toBe('L2');
    clock += 60_000;
    expect((await serve(req('a paper boat drifting down a gutter in the rain, please'))).layer).toBe('L2');
    expect(await entry()).toEqual({ hit_count: 2, last_hit_at: new Date(clock) });
    // The exact repeat is L1; its Redis hash counts accesses on the same injected clock.
    clock += 60_000;
    expect((await serve(req('A paper boat drifting down a gutter in the rain!'))).layer).toBe('L1');
    const l1 = createL1ExactCache({ redis, keyPrefix, now: () => clock });
    const again = await l1.get(l1Key(req('a paper boat drifting down a gutter in the rain')));
    expect(again).toMatchObject({ accessCount: 2, lastAccessAt: clock });
    expect(await entry()).toMatchObject({ hit_count: 2 });
  });

  it('counts decisions per layer in the registry', async () => {
    const text = await registry.metrics();
    expect(text).toMatch(/storyforge_cache_decisions_total\{layer="L1"\} [1-9]/);
    expect(text).toMatch(/storyforge_cache_decisions_total\{layer="L2"\} [1-9]/);
    expect(text).toMatch(/storyforge_cache_lookup_seconds_bucket/);
  });
});

describe('L4 predictive', () => {
  const beats = [
    { key: 'open', name: 'Opening', typical_prompt: 'wide establishing shot of the coastline at dawn' },
    { key: 'meet', name: 'Meeting', typical_prompt: '{character} meets a stranger on the pier' },
    { key: 'storm', name: 'Storm', typical_prompt: 'storm clouds gather over the lighthouse' },
  ];
  it('pre-generates the next beat; the later matching request is an L4 hit; unused ones expire as waste', async () => {
    const projectId = randomUUID();
    const req = (prompt: string) => request(prompt, { projectId, characterNames: ['Theo'] });
    const first = await cache.serve(req('wide establishing shot of the coastline at dawn'), {
      requestId: randomUUID(),
      predict: { beats, beatIndex: 0, context: { characters: ['Theo'] } },
    });
    expect(first.pregenerated).toBeGreaterThanOrEqual(1);
    const hit = await cache.serve(req('Theo meets a stranger on the pier'), {
      requestId: randomUUID(),
      predict: { beats, beatIndex: 1, context: { characters: ['Theo'] } },
    });
    expect(hit.layer).toBe('L4');
    expect(hit.costUsd).toBe(0);
    expect(hit.video.sourceRequestId).toMatch(/^pregen:/);
    // The project followed its template once, so the storm beat is now confident enough to pre-generate…
    expect(hit.pregenerated).toBe(1);
    // …but the user never asks for it: after 24 h it is waste.
    clock += 2 * DAY;
    await serve(req('something unrelated entirely'));
    const text = await registry.metrics();
    expect(text).toMatch(/storyforge_cache_pregenerations_total\{outcome="used"\} 1/);
    expect(text).toMatch(/storyforge_cache_pregenerations_total\{outcome="wasted"\} 1/);
    expect(text).toMatch(/storyforge_cache_pregeneration_waste_usd_total 0\.5/);
  });

  it('a caller that cannot pay leaves the prediction untouched and gets 402 before anything is rendered', async () => {
    const projectId = randomUUID();
    const req = (prompt: string) => request(prompt, { projectId, characterNames: ['Iris'] });
    const first = await cache.serve(req('wide establishing shot of the coastline at dawn'), {
      requestId: randomUUID(),
      predict: { beats, beatIndex: 0, context: { characters: ['Iris'] } },
    });
    expect(first.pregenerated).toBeGreaterThanOrEqual(1);
    const asked: string[] = [];
    const refused = cache.serve(req('Iris meets a stranger on the pier'), {
      requestId: randomUUID(),
      reserve: async (usd, layer) => (asked.push(`${layer}:${usd}`), false),
    });
    await expect(refused).rejects.toMatchObject({ code: 'insufficient_credits', status: 402, details: { layer: 'miss', costUsd: 0.5 } });
    expect(asked).toEqual(['L4:0.5', 'miss:0.5']);
    // Nothing was rendered or cached for the refused request, and the prediction is still there.
    const paid = await cache.serve(req('Iris meets a stranger on the pier'), { requestId: randomUUID() });
    expect(paid.layer).toBe('L4');
  });
});
