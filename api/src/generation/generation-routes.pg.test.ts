import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debitCredits, grantCredits } from '../ledger/credits';
import { withTransaction } from '../mutations/with-transaction';
import type { Harness } from '../testing/api-harness';
import { startGenerationTestRoutes, type GenerationTestRoutes } from '../testing/generation-test-routes';
import { createUserWithScene, type UserWithScene } from '../testing/user-with-scene';
import { expectLedgerConsistent, ledgerOf } from '../testing/ledger-assertions';
import type { GenerationRoutes } from './generation-routes';
import { createSimulatedProvider } from './simulated-provider';
import type { VideoProvider } from './video-provider';

let h: Harness;
let gen: GenerationRoutes;
/** Calls to a provider's generate (every render, paid or failed). */
let renders = 0;
/** What the 'sora' test provider bills, overriding its quote (a provider whose invoice differs). */
let soraBillsUsd = 0.5;

/** The simulated provider under another id, counting renders and optionally replacing what generate does. */
function testProvider(id: string, generate?: VideoProvider['generate']): VideoProvider {
  const sim = createSimulatedProvider({ id });
  return { ...sim, generate: (input) => (renders++, (generate ?? sim.generate)(input)) };
}

let server: GenerationTestRoutes;
beforeAll(async () => {
  server = await startGenerationTestRoutes({
    startingCredits: 120,
    providers: new Map([
      ['simulated', testProvider('simulated')],
      ['kling', testProvider('kling', () => Promise.reject(new Error('provider is down')))],
      ['sora', testProvider('sora', async (input) => ({ ...(await createSimulatedProvider({ id: 'sora' }).generate(input)), costUsd: soraBillsUsd }))],
    ]),
  });
  ({ h, gen } = server);
});
afterAll(() => server.close());

const setup = (): Promise<UserWithScene> => createUserWithScene(h);

/** Moves the balance to `target` through the ledger (the only way credits move). */
async function setBalance(userId: string, target: number): Promise<void> {
  await withTransaction(h.db.sql, async (tx) => {
    const [user] = await tx<{ credits_balance: number }[]>`select credits_balance from users where id = ${userId}`;
    const delta = target - (user?.credits_balance ?? 0);
    if (delta > 0) await grantCredits({ tx, userId, amount: delta, reason: 'adjustment' });
    if (delta < 0) await debitCredits({ tx, userId, amount: -delta, reason: 'adjustment' });
  });
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

  it('charges what will be spent: with 0 credits L1/L2 hits are served free, a miss is 402 with nothing recorded', async () => {
    const { token, userId, projectId, sceneId } = await setup();
    const first = await post(token, { projectId, sceneId, prompt: 'a lantern floating over a frozen lake', parameters });
    expect(first.status).toBe(200);
    await setBalance(userId, 0);
    const ledgerBefore = await ledgerOf(h.db.sql, userId);
    const versionsBefore = await h.db.sql`select id from scene_versions where scene_id = ${sceneId}`;

    const repeat = await post(token, { projectId, sceneId, prompt: 'A lantern floating over a frozen lake.', parameters });
    expect(repeat.status).toBe(200);
    expect(await repeat.json()).toMatchObject({ layer: 'L1', creditsCharged: 0, creditsBalance: null });
    const paraphrase = await post(token, { projectId, sceneId, prompt: 'please show me a lantern floating over the frozen lake', parameters });
    expect(paraphrase.status).toBe(200);
    expect(await paraphrase.json()).toMatchObject({ layer: 'L2', creditsCharged: 0 });

    const miss = await post(token, { projectId, sceneId, prompt: 'a kite tangled in a bare oak tree', parameters });
    expect(miss.status).toBe(402);
    expect(await miss.json()).toMatchObject({ code: 'insufficient_credits', details: { required: 50, balance: 0, layer: 'miss' } });
    // The two free hits recorded versions; the refused miss recorded nothing and rendered nothing.
    expect(await h.db.sql`select id from scene_versions where scene_id = ${sceneId}`).toHaveLength(versionsBefore.length + 2);
    expect(await ledgerOf(h.db.sql, userId)).toEqual(ledgerBefore);
    expect(await h.db.sql`select id from semantic_cache_entries where tenant_id = ${userId} and prompt = ${'a kite tangled in a bare oak tree'}`).toHaveLength(0);
  });

  it('two concurrent misses with credits for one: one is served, the other 402, the balance never below 0', async () => {
    const { token, userId, projectId, sceneId } = await setup();
    await setBalance(userId, 50);
    const rendersBefore = renders;
    const bodies = [
      { projectId, sceneId, prompt: 'a glass whale swimming through clouds', parameters },
      { projectId, sceneId, prompt: 'a copper robot painting a mural', parameters },
    ];
    const [a, b] = await Promise.all(bodies.map((body) => post(token, body)));
    expect([a?.status, b?.status].sort()).toEqual([200, 402]);
    const [user] = await h.db.sql<{ credits_balance: number }[]>`select credits_balance from users where id = ${userId}`;
    expect(user?.credits_balance).toBe(0);
    expect(await h.db.sql`select id from scene_versions where scene_id = ${sceneId}`).toHaveLength(1);
    expect((await ledgerOf(h.db.sql, userId)).filter((l) => l.startsWith('generation:'))).toEqual(['generation:-50']);

    // Regression: the refused request used to render and insert its video into L1/L2 before its debit
    // failed, so retrying it was a free L1 hit. Now the hold is refused before rendering: the retry is
    // refused again, and only the winner ever rendered.
    const loser = bodies[a?.status === 402 ? 0 : 1];
    const retry = await post(token, loser);
    expect(retry.status).toBe(402);
    expect(await retry.json()).toMatchObject({ code: 'insufficient_credits', details: { balance: 0 } });
    expect(renders - rendersBefore).toBe(1);
    expect(await h.db.sql`select id from semantic_cache_entries where tenant_id = ${userId} and prompt = ${loser?.prompt ?? ''}`).toHaveLength(0);
    expect(await h.db.sql`select id from scene_versions where scene_id = ${sceneId}`).toHaveLength(1);
    await expectLedgerConsistent(h.db.sql, userId);
  });

  it('a render that fails refunds the hold: balance unchanged, the ledger shows the debit and its refund, nothing cached', async () => {
    const { token, userId, projectId, sceneId } = await setup();
    const prompt = 'a paper crane folding itself on a windowsill';
    const res = await post(token, { projectId, sceneId, prompt, parameters: { ...parameters, model_provider: 'kling' } });
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ code: 'upstream_failed', message: expect.stringContaining('provider is down'), details: { service: 'video_provider', provider: 'kling' } });
    const [user] = await h.db.sql<{ credits_balance: number }[]>`select credits_balance from users where id = ${userId}`;
    expect(user?.credits_balance).toBe(120);
    expect(await ledgerOf(h.db.sql, userId)).toEqual(['grant:120', 'generation:-50', 'refund:50']);
    // Both rows name the version id that was never recorded.
    const refs = await h.db.sql<{ reference_id: string }[]>`select reference_id from credit_ledger where user_id = ${userId} and reason <> 'grant'`;
    expect(new Set(refs.map((r) => r.reference_id)).size).toBe(1);
    expect(await h.db.sql`select id from scene_versions where id = ${refs[0]?.reference_id ?? ''} or scene_id = ${sceneId}`).toHaveLength(0);
    expect(await h.db.sql`select id from semantic_cache_entries where tenant_id = ${userId} and prompt = ${prompt}`).toHaveLength(0);
    await expectLedgerConsistent(h.db.sql, userId);
  });

  it('settles the hold to what the provider billed: refunds an overestimate, debits a shortfall', async () => {
    const { token, userId, projectId, sceneId } = await setup();
    const p = (prompt: string) => ({ projectId, sceneId, prompt, parameters: { ...parameters, model_provider: 'sora' } });
    soraBillsUsd = 0.3;
    const cheaper = await post(token, p('a snail racing a tortoise on a garden path'));
    expect(await cheaper.json()).toMatchObject({ layer: 'miss', creditsCharged: 30, creditsBalance: 90 });
    soraBillsUsd = 0.6;
    const dearer = await post(token, p('a hot air balloon over a desert canyon'));
    expect(await dearer.json()).toMatchObject({ layer: 'miss', creditsCharged: 60, creditsBalance: 30 });
    soraBillsUsd = 0.5;
    expect(await ledgerOf(h.db.sql, userId)).toEqual(['grant:120', 'generation:-50', 'refund:20', 'generation:-50', 'generation:-10']);
    await expectLedgerConsistent(h.db.sql, userId);
  });

  it('a partial L3 render needs only its partial price', async () => {
    const { token, userId, projectId, sceneId } = await setup();
    const p = (prompt: string) => ({ projectId, sceneId, prompt, parameters });
    expect((await post(token, p('a fox sleeps in the misty pine forest'))).status).toBe(200);
    await setBalance(userId, 0);
    const refused = await post(token, p('an owl hoots in the misty pine forest'));
    expect(refused.status).toBe(402);
    const { details } = (await refused.json()) as { details: { required: number; layer: string } };
    expect(details.layer).toBe('L3');
    expect(details.required).toBeGreaterThan(0);
    expect(details.required).toBeLessThan(50);
    // Exactly the partial price is enough (a full render's 50 would not be).
    await setBalance(userId, details.required);
    const partial = await post(token, p('an owl hoots in the misty pine forest'));
    expect(partial.status).toBe(200);
    expect(await partial.json()).toMatchObject({ layer: 'L3', creditsCharged: details.required, creditsBalance: 0 });
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
