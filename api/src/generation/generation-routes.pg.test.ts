import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testKeyPrefix, testRedisUrl } from '@storyforge/db/testing';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerClock } from '../clock/server-clock';
import { createHarness, hlcAt, m, statuses, TEST_JWT_SECRET, type Harness } from '../testing/api-harness';
import { createGenerationRoutes, type GenerationRoutes } from './generation-routes';

let h: Harness;
let redis: Redis;
let dir: string;
let gen: GenerationRoutes;

beforeAll(async () => {
  h = await createHarness({ startingCredits: 120 });
  redis = new Redis(testRedisUrl());
  dir = await mkdtemp(join(tmpdir(), 'sf-gen-'));
  gen = createGenerationRoutes({
    sql: h.db.sql,
    redis,
    logger: pino({ level: 'silent' }),
    registry: h.registry,
    clock: new ServerClock({ nodeId: 'gen-test', now: () => Date.now() }),
    jwtSecret: TEST_JWT_SECRET,
    mediaDir: dir,
    redisKeyPrefix: testKeyPrefix(),
  });
});
afterAll(async () => {
  await gen.drain();
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
  await h.close();
});

async function setup(): Promise<{ token: string; userId: string; projectId: string; sceneId: string }> {
  const { token, userId } = await h.login();
  const projectId = randomUUID();
  const sceneId = randomUUID();
  const res = await h.mutate(token, [
    m.insert('projects', projectId, { user_id: userId, title: 'Harbour' }, hlcAt(Date.now(), 'c1')),
    m.insert('scenes', sceneId, { project_id: projectId, position: 'a0', title: 'Opening' }, hlcAt(Date.now(), 'c1')),
  ]);
  expect(statuses(res.body)).toEqual(['applied', 'applied']);
  return { token, userId, projectId, sceneId };
}

function post(token: string, body: unknown) {
  return gen.app.request('/v1/generations', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
}

const parameters = { lighting: 0.2, camera_angle: 0, mood: -0.4, pacing: 0.5, model_provider: 'simulated' };

describe('POST /v1/generations', () => {
  it('miss renders, records a version, updates the scene and debits; the repeat is a free L1 hit', async () => {
    const { token, userId, projectId, sceneId } = await setup();
    const res = await post(token, { projectId, sceneId, prompt: 'a red lighthouse at dusk', parameters });
    expect(res.status).toBe(200);
    const first = (await res.json()) as { layer: string; versionId: string; videoUrl: string; creditsCharged: number; creditsBalance: number; txid: number };
    expect(first.layer).toBe('miss');
    expect(first.creditsCharged).toBe(50);
    expect(first.creditsBalance).toBe(70);
    expect(typeof first.txid).toBe('number');
    const [scene] = await h.db.sql<{ current_version_id: string; status: string; field_clocks: Record<string, string> }[]>`select current_version_id, status, field_clocks from scenes where id = ${sceneId}`;
    expect(scene?.current_version_id).toBe(first.versionId);
    expect(scene?.status).toBe('ready');
    expect(Object.keys(scene?.field_clocks ?? {})).toContain('current_version_id');
    const [version] = await h.db.sql<{ cache_layer: string; cost_usd: string; video_url: string }[]>`select cache_layer, cost_usd, video_url from scene_versions where id = ${first.versionId}`;
    expect(version).toMatchObject({ cache_layer: 'miss', cost_usd: '0.5000', video_url: first.videoUrl });

    const again = (await (await post(token, { projectId, sceneId, prompt: 'A red lighthouse at dusk!', parameters })).json()) as { layer: string; creditsCharged: number; videoUrl: string };
    expect(again).toMatchObject({ layer: 'L1', creditsCharged: 0, videoUrl: first.videoUrl });
    const againId = (again as unknown as { versionId: string }).versionId;
    const report = await gen.app.request(`/v1/generations/${againId}/wrong`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(await report.json()).toMatchObject({ layer: 'L1', counted: true });
    expect(await h.registry.metrics()).toMatch(/storyforge_cache_false_hits_total\{layer="L1"\} 1/);
    const ledger = await h.db.sql<{ delta: number; reason: string }[]>`select delta, reason from credit_ledger where user_id = ${userId} order by id`;
    expect(ledger.map((l) => `${l.reason}:${l.delta}`)).toEqual(['grant:120', 'generation:-50']);

    const wrong = await gen.app.request(`/v1/generations/${first.versionId}/wrong`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(await wrong.json()).toMatchObject({ layer: 'miss', counted: false });
    const media = await gen.app.request(first.videoUrl);
    expect(media.status).toBe(200);
    expect(media.headers.get('content-type')).toBe('video/mp4');
    expect((await media.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });

  it('refuses what the user cannot pay for with 402 and records nothing', async () => {
    const { token, projectId, sceneId } = await setup();
    expect((await post(token, { projectId, sceneId, prompt: 'first scene', parameters })).status).toBe(200);
    expect((await post(token, { projectId, sceneId, prompt: 'second different scene', parameters })).status).toBe(200);
    const before = await h.db.sql`select id from scene_versions where scene_id = ${sceneId}`;
    const res = await post(token, { projectId, sceneId, prompt: 'third scene entirely new', parameters });
    expect(res.status).toBe(402);
    expect(((await res.json()) as { code: string }).code).toBe('insufficient_credits');
    expect(await h.db.sql`select id from scene_versions where scene_id = ${sceneId}`).toHaveLength(before.length);
  });

  it('rejects bad input and foreign scopes with coded errors', async () => {
    const a = await setup();
    const b = await setup();
    const cases: Array<[unknown, string, number, number]> = [
      [{ ...a, prompt: '', parameters }, a.token, 400, 0],
      [{ projectId: a.projectId, sceneId: a.sceneId, prompt: 'x', parameters: { ...parameters, mood: 3 } }, a.token, 400, 0],
      [{ projectId: a.projectId, sceneId: a.sceneId, prompt: 'x', parameters: { ...parameters, model_provider: 'runway' } }, a.token, 422, 0],
      [{ projectId: b.projectId, sceneId: b.sceneId, prompt: 'x', parameters }, a.token, 403, 0],
      [{ projectId: a.projectId, sceneId: b.sceneId, prompt: 'x', parameters }, a.token, 403, 0],
      [{ projectId: a.projectId, sceneId: randomUUID(), prompt: 'x', parameters }, a.token, 404, 0],
    ];
    for (const [body, token, status] of cases) {
      const { projectId, sceneId, prompt, parameters: p } = body as Record<string, unknown>;
      const res = await post(token, { projectId, sceneId, prompt, parameters: p });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(typeof ((await res.json()) as { code: string }).code).toBe('string');
    }
    expect((await gen.app.request('/v1/generations', { method: 'POST', body: '{}' })).status).toBe(401);
    expect(await h.db.sql`select id from scene_versions where project_id = ${a.projectId}`).toHaveLength(0);
  });
});
