// Idempotency-Key on POST /v1/generations against the real Postgres and Redis: a retry whose response was
// lost is answered from the stored response, never rendered, recorded or charged twice.
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debitCredits, grantCredits } from '../ledger/credits';
import { withTransaction } from '../mutations/with-transaction';
import { hlcAt, m, statuses, type Harness } from '../testing/api-harness';
import { startGenerationTestRoutes, type GenerationTestRoutes } from '../testing/generation-test-routes';
import { createUserWithScene, type UserWithScene } from '../testing/user-with-scene';
import { ledgerOf } from '../testing/ledger-assertions';
import { generationRequestSchema } from './generation-request-schema';
import { pruneGenerationRequests, startIdempotencyKeyPruner } from './generation-requests';
import type { GenerationRoutes } from './generation-routes';
import { requestFingerprint } from './idempotency-key';
import { createSimulatedProvider } from './simulated-provider';
import type { VideoProvider } from './video-provider';

const HOUR = 3_600_000;
const STALE_MS = HOUR;

let h: Harness;
let gen: GenerationRoutes;
/** Calls to a provider's generate (every render, paid or failed). */
let renders = 0;
/** The 'kling' test provider fails while this is > 0 (counting down per call). */
let flakyFailures = 0;
/** When set, the 'runway' test provider's next render waits for it (then clears it): a request held mid-render. */
let gate: { started: () => void; open: Promise<void> } | null = null;

function testProvider(id: string, before?: () => Promise<void>): VideoProvider {
  const sim = createSimulatedProvider({ id });
  return {
    ...sim,
    generate: async (input) => {
      renders++;
      await before?.();
      return sim.generate(input);
    },
  };
}

/** Holds the next 'runway' render until the returned release() is called; `started` resolves once it is held. */
function holdNextRender(): { started: Promise<void>; release: () => void } {
  let started!: () => void;
  let release!: () => void;
  const startedP = new Promise<void>((r) => (started = r));
  gate = { started, open: new Promise<void>((r) => (release = r)) };
  return { started: startedP, release };
}

let server: GenerationTestRoutes;
beforeAll(async () => {
  server = await startGenerationTestRoutes({
    startingCredits: 120,
    idempotencyStaleMs: STALE_MS,
    providers: new Map([
      ['simulated', testProvider('simulated')],
      [
        'kling',
        testProvider('kling', async () => {
          if (flakyFailures > 0) {
            flakyFailures--;
            throw new Error('provider is down');
          }
        }),
      ],
      [
        'runway',
        testProvider('runway', async () => {
          const g = gate;
          gate = null;
          if (g === null) return;
          g.started();
          await g.open;
        }),
      ],
    ]),
  });
  ({ h, gen } = server);
});
afterAll(() => server.close());

const setup = (): Promise<UserWithScene> => createUserWithScene(h);

function post(token: string, body: unknown, key?: string) {
  return gen.app.request('/v1/generations', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(key === undefined ? {} : { 'idempotency-key': key }) },
    body: JSON.stringify(body),
  });
}

async function versionsOf(sceneId: string): Promise<string[]> {
  const rows = await h.db.sql<{ id: string }[]>`select id from scene_versions where scene_id = ${sceneId} order by version_number`;
  return rows.map((r) => r.id);
}

async function keyRow(userId: string, key: string) {
  const [row] = await h.db.sql<{ state: string; version_id: string | null; response: Record<string, unknown> | null; fingerprint: string; updated_at: Date }[]>`
    select state, version_id, response, fingerprint, updated_at from generation_requests where user_id = ${userId} and idempotency_key = ${key}`;
  return row;
}

/** Moves the balance to `target` through the ledger (the only way credits move). */
async function setBalance(userId: string, target: number): Promise<void> {
  await withTransaction(h.db.sql, async (tx) => {
    const [user] = await tx<{ credits_balance: number }[]>`select credits_balance from users where id = ${userId}`;
    const delta = target - (user?.credits_balance ?? 0);
    if (delta > 0) await grantCredits({ tx, userId, amount: delta, reason: 'adjustment' });
    if (delta < 0) await debitCredits({ tx, userId, amount: -delta, reason: 'adjustment' });
  });
}

const parameters = { lighting: 0.2, camera_angle: 0, mood: -0.4, pacing: 0.5, model_provider: 'simulated' };

describe('POST /v1/generations with Idempotency-Key', () => {
  it('a retry of a completed regenerate: true request replays the stored 200: one render, one version, one charge', async () => {
    const { token, userId, projectId, sceneId } = await setup();
    const body = { projectId, sceneId, prompt: 'a red lighthouse at dusk', parameters, regenerate: true };
    const key = randomUUID();
    const rendersBefore = renders;
    const first = await post(token, body, key);
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const sent = (await first.json()) as Record<string, unknown>;
    expect(sent).toMatchObject({ layer: 'miss', creditsCharged: 50, creditsBalance: 70 });

    for (let i = 0; i < 2; i++) {
      const retry = await post(token, body, key);
      expect(retry.status).toBe(200);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(await retry.json()).toEqual(sent);
    }
    expect(renders - rendersBefore).toBe(1);
    expect(await versionsOf(sceneId)).toEqual([sent.versionId]);
    expect(await ledgerOf(h.db.sql, userId)).toEqual(['grant:120', 'generation:-50']);
    expect(await keyRow(userId, key)).toMatchObject({ state: 'completed', version_id: sent.versionId, response: sent });

    // Without a key the same retry is what it always was: regenerate renders and charges again.
    const unkeyed = await post(token, body);
    expect(await unkeyed.json()).toMatchObject({ layer: 'miss', creditsCharged: 50, creditsBalance: 20 });
    expect(renders - rendersBefore).toBe(2);
    expect(await versionsOf(sceneId)).toHaveLength(2);
    expect(await h.db.sql`select 1 from generation_requests where user_id = ${userId}`).toHaveLength(1);
  });

  it('keys are per user: another user may use the same key for their own request', async () => {
    const a = await setup();
    const b = await setup();
    const key = 'shared-key-1';
    const resA = await post(a.token, { projectId: a.projectId, sceneId: a.sceneId, prompt: 'a tin soldier on parade', parameters }, key);
    const resB = await post(b.token, { projectId: b.projectId, sceneId: b.sceneId, prompt: 'a tin soldier on parade', parameters }, key);
    expect([resA.status, resB.status]).toEqual([200, 200]);
    expect(resB.headers.get('idempotent-replayed')).toBeNull();
    expect(await versionsOf(b.sceneId)).toHaveLength(1);
  });

  it('a second request while the first is rendering gets 409 with Retry-After; after completion it is replayed', async () => {
    const { token, userId, projectId, sceneId } = await setup();
    const body = { projectId, sceneId, prompt: 'a clockwork owl in a library', parameters: { ...parameters, model_provider: 'runway' } };
    const key = randomUUID();
    const rendersBefore = renders;
    const held = holdNextRender();
    const firstP = post(token, body, key);
    await held.started;

    const second = await post(token, body, key);
    expect(second.status).toBe(409);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await second.json()).toMatchObject({ code: 'idempotency_request_in_progress', details: { idempotencyKey: key } });

    held.release();
    const first = await firstP;
    expect(first.status).toBe(200);
    const sent = await first.json();
    const third = await post(token, body, key);
    expect(third.headers.get('idempotent-replayed')).toBe('true');
    expect(await third.json()).toEqual(sent);
    expect(renders - rendersBefore).toBe(1);
    expect(await versionsOf(sceneId)).toHaveLength(1);
    expect(await ledgerOf(h.db.sql, userId)).toEqual(['grant:120', 'generation:-50']);
  });

  it('concurrent requests with one key: one render, one charge; the others 409 or the same 200 replayed', async () => {
    const { token, userId, projectId, sceneId } = await setup();
    const body = { projectId, sceneId, prompt: 'a paper boat in a storm drain', parameters, regenerate: true };
    const key = randomUUID();
    const rendersBefore = renders;
    const responses = await Promise.all([1, 2, 3, 4].map(() => post(token, body, key)));
    const ok = responses.filter((r) => r.status === 200);
    expect(responses.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const bodies = await Promise.all(ok.map((r) => r.json()));
    expect(new Set(bodies.map((b) => JSON.stringify(b, Object.keys(b as object).sort()))).size).toBe(1);
    expect(ok.filter((r) => r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(renders - rendersBefore).toBe(1);
    expect(await versionsOf(sceneId)).toHaveLength(1);
    expect(await ledgerOf(h.db.sql, userId)).toEqual(['grant:120', 'generation:-50']);
  });

  it('the same key with a different body is 422 idempotency_key_reused and changes nothing', async () => {
    const { token, userId, projectId, sceneId } = await setup();
    const key = randomUUID();
    const body = { projectId, sceneId, prompt: 'a lantern over a frozen lake', parameters };
    expect((await post(token, body, key)).status).toBe(200);
    const rowBefore = await keyRow(userId, key);
    const ledgerBefore = await ledgerOf(h.db.sql, userId);
    const rendersBefore = renders;

    for (const other of [{ ...body, prompt: 'a lantern over a frozen river' }, { ...body, regenerate: true }, { ...body, parameters: { ...parameters, mood: 0.4 } }]) {
      const res = await post(token, other, key);
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ code: 'idempotency_key_reused', details: { idempotencyKey: key } });
    }
    // Key order is not part of the request: the same body reordered is a replay, not a reuse.
    const reordered = await post(token, { parameters, prompt: body.prompt, sceneId, projectId }, key);
    expect(reordered.headers.get('idempotent-replayed')).toBe('true');
    expect(renders).toBe(rendersBefore);
    expect(await versionsOf(sceneId)).toHaveLength(1);
    expect(await ledgerOf(h.db.sql, userId)).toEqual(ledgerBefore);
    expect(await keyRow(userId, key)).toEqual(rowBefore);
  });

  it('a failed render releases the key: the retry with the same body runs, renders and is charged once', async () => {
    const { token, userId, projectId, sceneId } = await setup();
    const key = randomUUID();
    const body = { projectId, sceneId, prompt: 'a kite caught in an oak', parameters: { ...parameters, model_provider: 'kling' } };
    flakyFailures = 1;
    const failed = await post(token, body, key);
    expect(failed.status).toBe(502);
    expect(await keyRow(userId, key)).toBeUndefined();

    const retry = await post(token, body, key);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    const sent = (await retry.json()) as { versionId: string };
    expect(await versionsOf(sceneId)).toEqual([sent.versionId]);
    expect(await ledgerOf(h.db.sql, userId)).toEqual(['grant:120', 'generation:-50', 'refund:50', 'generation:-50']);
    expect(await keyRow(userId, key)).toMatchObject({ state: 'completed', version_id: sent.versionId });
  });

  it('a recording that fails after the charge was settled refunds it all and releases the key', async () => {
    const { token, userId, projectId, sceneId } = await setup();
    const key = randomUUID();
    const body = { projectId, sceneId, prompt: 'a moth circling a street lamp', parameters: { ...parameters, model_provider: 'runway' } };
    const held = holdNextRender();
    const pendingRes = post(token, body, key);
    await held.started;
    // The scene is deleted (another device) while rendering: recording the version is rejected.
    expect(statuses((await h.mutate(token, [m.delete('scenes', sceneId, hlcAt(Date.now(), 'c2'))])).body)).toEqual(['applied']);
    held.release();
    const res = await pendingRes;
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await h.db.sql`select id from scene_versions where scene_id = ${sceneId}`).toHaveLength(0);
    expect(await ledgerOf(h.db.sql, userId)).toEqual(['grant:120', 'generation:-50', 'refund:50']);
    expect(await keyRow(userId, key)).toBeUndefined();
  });

  it('a 402 releases the key too: once credits are added the same request runs', async () => {
    const { token, userId, projectId, sceneId } = await setup();
    await setBalance(userId, 0);
    const key = randomUUID();
    const body = { projectId, sceneId, prompt: 'a fox asleep in fresh snow', parameters };
    const refused = await post(token, body, key);
    expect(refused.status).toBe(402);
    expect(await keyRow(userId, key)).toBeUndefined();
    await setBalance(userId, 120);
    const retry = await post(token, body, key);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ layer: 'miss', creditsCharged: 50, creditsBalance: 70 });
  });

  it('a pending key older than the stale limit (its process died) is taken over and served; a young one is 409', async () => {
    const { token, userId, projectId, sceneId } = await setup();
    const body = { projectId, sceneId, prompt: 'a glass whale in the clouds', parameters };
    const fingerprint = requestFingerprint(generationRequestSchema.parse(body));
    const key = randomUUID();
    // What a crash after the claim leaves behind.
    await h.db.sql`insert into generation_requests (user_id, idempotency_key, fingerprint, updated_at) values (${userId}, ${key}, ${fingerprint}, now() - interval '50 minutes')`;
    const young = await post(token, body, key);
    expect(young.status).toBe(409);
    expect(young.headers.get('retry-after')).toBe('5');

    await h.db.sql`update generation_requests set updated_at = now() - interval '61 minutes' where user_id = ${userId} and idempotency_key = ${key}`;
    const rendersBefore = renders;
    const res = await post(token, body, key);
    expect(res.status).toBe(200);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    const sent = (await res.json()) as { versionId: string };
    expect(renders - rendersBefore).toBe(1);
    expect(await keyRow(userId, key)).toMatchObject({ state: 'completed', version_id: sent.versionId, response: sent });
    expect((await post(token, body, key)).headers.get('idempotent-replayed')).toBe('true');
  });

  it('of two retries taking over one stale key, one wins; the request that was only slow cannot complete after the takeover', async () => {
    const { token, userId, projectId, sceneId } = await setup();
    const body = { projectId, sceneId, prompt: 'a copper robot painting a mural', parameters: { ...parameters, model_provider: 'runway' } };
    const key = randomUUID();
    const held = holdNextRender();
    const slowP = post(token, body, key);
    await held.started;
    // The slow request's claim ages past the limit while it renders; two retries race for the key.
    await h.db.sql`update generation_requests set updated_at = now() - interval '2 hours' where user_id = ${userId} and idempotency_key = ${key}`;
    const takers = await Promise.all([post(token, body, key), post(token, body, key)]);
    // The loser sees the winner's fresh claim (409), or its response if the winner already completed.
    const winner = takers.find((r) => r.status === 200 && r.headers.get('idempotent-replayed') === null);
    const loser = takers.find((r) => r !== winner);
    const sent = (await winner?.json()) as { versionId: string };
    if (loser?.status === 200) expect(await loser.json()).toEqual(sent);
    else expect(loser?.status).toBe(409);

    held.release();
    const slow = await slowP;
    expect(slow.status).toBe(409);
    expect(await slow.json()).toMatchObject({ code: 'conflict' });
    // The slow request's recording rolled back with its key update and its hold was refunded: one version,
    // one charge, and the key still answers the winner's response.
    expect(await versionsOf(sceneId)).toEqual([sent.versionId]);
    expect(await ledgerOf(h.db.sql, userId)).toEqual(['grant:120', 'generation:-50', 'generation:-50', 'refund:50']);
    const replay = await post(token, body, key);
    expect(await replay.json()).toEqual(sent);
  });

  it('refuses a malformed key with 400 invalid_idempotency_key before doing anything; no key writes no record', async () => {
    const { token, userId, projectId, sceneId } = await setup();
    const body = { projectId, sceneId, prompt: 'a snail racing a tortoise', parameters };
    for (const key of ['', 'x'.repeat(256), 'a\tb', 'clé']) {
      const res = await post(token, body, key);
      expect(res.status, JSON.stringify(key)).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'invalid_idempotency_key' });
    }
    expect(await versionsOf(sceneId)).toHaveLength(0);
    expect((await post(token, body)).status).toBe(200);
    expect(await h.db.sql`select 1 from generation_requests where user_id = ${userId}`).toHaveLength(0);
  });
});

describe('pruning', () => {
  it('the pruner runs once at start', async () => {
    const userId = randomUUID();
    await h.db.sql`
      insert into generation_requests (user_id, idempotency_key, fingerprint, state, version_id, response, updated_at)
      values (${userId}, 'old', 'f', 'completed', ${randomUUID()}, ${h.db.sql.json({})}, now() - interval '25 hours')`;
    const pruner = startIdempotencyKeyPruner({ sql: h.db.sql, logger: pino({ level: 'silent' }), now: () => Date.now(), retentionMs: 24 * HOUR, staleMs: STALE_MS });
    try {
      await expect.poll(async () => (await h.db.sql`select 1 from generation_requests where user_id = ${userId}`).length, { timeout: 5_000 }).toBe(0);
    } finally {
      pruner.stop();
      await pruner.pruneOnce();
    }
  });


  it('pruneGenerationRequests deletes completed keys past the retention and pending keys past both limits, in batches', async () => {
    const userId = randomUUID();
    const versionId = randomUUID();
    const rows: Array<[string, 'pending' | 'completed', string]> = [
      ['completed-old', 'completed', '25 hours'],
      ['completed-old-2', 'completed', '30 hours'],
      ['completed-old-3', 'completed', '48 hours'],
      ['completed-recent', 'completed', '23 hours'],
      ['pending-recent', 'pending', '10 minutes'],
      ['pending-dead', 'pending', '25 hours'],
    ];
    for (const [key, state, age] of rows) {
      await h.db.sql`
        insert into generation_requests (user_id, idempotency_key, fingerprint, state, version_id, response, updated_at)
        values (${userId}, ${key}, 'f', ${state}, ${state === 'completed' ? versionId : null}, ${state === 'completed' ? h.db.sql.json({ versionId }) : null},
          now() - ${age}::interval)`;
    }
    const pruned = await pruneGenerationRequests({ sql: h.db.sql, now: () => Date.now(), retentionMs: 24 * HOUR, staleMs: STALE_MS, batchSize: 2 });
    expect(pruned).toBe(4);
    const left = await h.db.sql<{ idempotency_key: string }[]>`select idempotency_key from generation_requests where user_id = ${userId} order by idempotency_key`;
    expect(left.map((r) => r.idempotency_key)).toEqual(['completed-recent', 'pending-recent']);

    // A pending key is kept while it could still be running, even past a (short) retention.
    await pruneGenerationRequests({ sql: h.db.sql, now: () => Date.now() + 30 * 60_000, retentionMs: 0.1 * HOUR, staleMs: STALE_MS });
    const after = await h.db.sql<{ idempotency_key: string }[]>`select idempotency_key from generation_requests where user_id = ${userId}`;
    expect(after.map((r) => r.idempotency_key)).toEqual(['pending-recent']);
  });
});
