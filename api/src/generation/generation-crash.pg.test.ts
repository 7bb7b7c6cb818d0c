// kill -9 of the real composed server in the middle of POST /v1/generations (real process, HTTP, Postgres
// and Redis): the credit hold it committed is refunded exactly once by the orphaned-hold reconciler, the
// Idempotency-Key it claimed answers 409 while it could still be running and is taken over once stale, and
// the retry then renders, records and charges once, and is replayed after that.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testRedisUrl, type TestDatabase } from '@storyforge/db/testing';
import { issueToken } from '../auth/tokens';
import { grantCredits } from '../ledger/credits';
import { expectLedgerConsistent, ledgerOf } from '../testing/ledger-assertions';
import { RENDER_STARTED_EVENT, spawnApiChild, type ApiChild } from '../testing/spawn-api-child';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, RETRY_AFTER_HEADER } from './idempotency-key';
import { createOrphanedHoldReconciler, DEFAULT_ORPHANED_HOLD_GRACE_MS } from './orphaned-holds';

const SECRET = 'generation-crash-test-secret-0123456789abcdef';
const STARTING_CREDITS = 1000;
const KEY = 'k1';
/** Far longer than the test: child A's render is still blocked when it is killed. */
const BLOCK_RENDER_MS = 600_000;
/** Bound on every wait for the child or an HTTP answer (the slowest is a child's start: sync setup). */
const WAIT_MS = 20_000;

let db: TestDatabase;
let dataDir: string;
let token: string;
const userId = randomUUID();
const projectId = randomUUID();
const sceneId = randomUUID();
/** Every child started, stopped in afterAll whatever happened to the tests. */
const children: ApiChild[] = [];
let childB: ApiChild | undefined;
/** What the killed request held: its credits and the version id its ledger rows name. */
let hold: { credits: number; referenceId: string } | undefined;

/** The operator's environment for a child; both children share the database, Redis, data dir and slot (a restart). */
const childEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  DATABASE_URL: db.url,
  REDIS_URL: testRedisUrl(),
  STORYFORGE_DATA_DIR: dataDir,
  STORYFORGE_TEST_SLOT: `slot_${db.name}`,
  STORYFORGE_PORT: '0',
  STORYFORGE_DEV_MODE: 'false',
  STORYFORGE_JWT_SECRET: SECRET,
  LOG_LEVEL: 'warn',
  ...extra,
});

async function startChild(extra: Record<string, string> = {}): Promise<ApiChild> {
  const child = await spawnApiChild({ env: childEnv(extra), startTimeoutMs: 60_000 });
  children.push(child);
  return child;
}

const generate = (url: string): Promise<Response> =>
  fetch(`${url}/v1/generations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, [IDEMPOTENCY_KEY_HEADER]: KEY },
    body: JSON.stringify({
      projectId,
      sceneId,
      prompt: 'A ferry leaves the harbour at dawn through thick fog',
      parameters: { lighting: 0.3, camera_angle: -0.1, mood: 0.2, pacing: 0.4, model_provider: 'simulated' },
      regenerate: true,
    }),
    signal: AbortSignal.timeout(WAIT_MS),
  });

/** Rejects when `promise` has not settled within `ms` (so no wait of this test is unbounded). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const balance = async (): Promise<number> => {
  const [row] = await db.sql<{ credits_balance: number }[]>`select credits_balance from users where id = ${userId}`;
  return row?.credits_balance ?? Number.NaN;
};
const versionIds = async (): Promise<string[]> =>
  (await db.sql<{ id: string }[]>`select id from scene_versions where scene_id = ${sceneId}`).map((r) => r.id);
const claimOf = async (): Promise<{ state: string; version_id: string | null } | undefined> =>
  (await db.sql<{ state: string; version_id: string | null }[]>`
    select state, version_id from generation_requests where user_id = ${userId} and idempotency_key = ${KEY}`)[0];
/** The reconciler as a sweeper would run it, at `now` (the default grace, as the children run with). */
const reconcilerAt = (now: () => number) => createOrphanedHoldReconciler({ sql: db.sql, logger: pino({ level: 'silent' }), now });
const pastGrace = () => Date.now() + DEFAULT_ORPHANED_HOLD_GRACE_MS + 60_000;

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'storyforge-gen-crash-'));
  await db.sql`insert into users (id, email) values (${userId}, 'crash@example.test')`;
  await db.sql.begin((tx) => grantCredits({ tx, userId, amount: STARTING_CREDITS, reason: 'grant' }));
  token = await issueToken({ userId, secret: SECRET, now: Date.now() });
});

afterAll(async () => {
  // Whatever failed: no server process outlives the file (SIGTERM, then SIGKILL after 10 s).
  await Promise.all(children.map((c) => c.stop(10_000)));
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('kill -9 of the server in the middle of POST /v1/generations', () => {
  it('1. the request dies mid-render after its credit hold and Idempotency-Key claim committed; the client sees the connection drop', { timeout: 90_000 }, async () => {
    const childA = await startChild({ STORYFORGE_TEST_BLOCK_RENDER_MS: String(BLOCK_RENDER_MS) });
    const hlc = () => `${String(Date.now()).padStart(15, '0')}-000000-crash-tab`;
    const created = await fetch(`${childA.url}/v1/mutations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        clientId: 'crash-tab',
        mutations: [
          { mutationId: randomUUID(), table: 'projects', op: 'insert', id: projectId, fields: { title: 'Harbour' }, hlc: hlc() },
          { mutationId: randomUUID(), table: 'scenes', op: 'insert', id: sceneId, fields: { project_id: projectId, position: 'a0', title: 'Fog' }, hlc: hlc() },
        ],
      }),
      signal: AbortSignal.timeout(WAIT_MS),
    });
    expect(created.status).toBe(200);

    // Settled into a value at once, so the rejection expected below is never an unhandled one meanwhile.
    const request = generate(childA.url).then(
      (res) => ({ res }) as const,
      (error: unknown) => ({ error }) as const,
    );
    await childA.waitForEvent(RENDER_STARTED_EVENT, WAIT_MS);

    // The render is blocked inside the provider: the hold and the claim are committed, nothing else.
    const ledger = await ledgerOf(db.sql, userId);
    expect(ledger).toHaveLength(2);
    expect(ledger[0]).toBe(`grant:${STARTING_CREDITS}`);
    expect(ledger[1]).toMatch(/^generation:-\d+$/);
    const [row] = await db.sql<{ delta: number; reference_id: string }[]>`
      select delta, reference_id from credit_ledger where user_id = ${userId} and reason = 'generation'`;
    hold = { credits: -(row?.delta ?? 0), referenceId: row?.reference_id ?? '' };
    expect(hold.credits).toBeGreaterThan(0);
    expect(await balance()).toBe(STARTING_CREDITS - hold.credits);
    await expectLedgerConsistent(db.sql, userId, STARTING_CREDITS - hold.credits);
    expect(await claimOf()).toEqual({ state: 'pending', version_id: null });

    await childA.kill9();
    const outcome = await within(request, WAIT_MS, 'the killed request');
    if (!('error' in outcome)) throw new Error(`the killed request was answered ${outcome.res.status}`);
    expect(outcome.error).toBeInstanceOf(TypeError); // undici's "fetch failed": the connection dropped
    expect(await versionIds()).toEqual([]);
  });

  it('2. a restarted server answers the retry 409 idempotency_request_in_progress: the claim is fresh, the first might still be running', { timeout: 90_000 }, async () => {
    expect(hold).toBeDefined();
    childB = await startChild();
    const retry = await generate(childB.url);
    expect(retry.status).toBe(409);
    expect(Number(retry.headers.get(RETRY_AFTER_HEADER))).toBeGreaterThan(0);
    expect(((await retry.json()) as { code: string }).code).toBe('idempotency_request_in_progress');
    expect(await versionIds()).toEqual([]);
    expect(await ledgerOf(db.sql, userId)).toHaveLength(2);
    expect(await claimOf()).toEqual({ state: 'pending', version_id: null });
  });

  it('3. the orphaned-hold reconciler refunds the dead request\'s hold exactly once, and only past the grace', async () => {
    if (hold === undefined) throw new Error('step 1 did not record the hold');
    // Within the grace the request could still be running: nothing is refunded.
    expect(await reconcilerAt(() => Date.now()).reconcileOnce()).toEqual([]);

    const reconciler = reconcilerAt(pastGrace);
    expect(await reconciler.reconcileOnce()).toEqual([{ userId, referenceId: hold.referenceId, credits: hold.credits }]);
    // Again, and from a fresh reconciler (another process, or this one restarted: its cursor is in memory).
    expect(await reconciler.reconcileOnce()).toEqual([]);
    expect(await reconcilerAt(pastGrace).reconcileOnce()).toEqual([]);

    expect(await ledgerOf(db.sql, userId)).toEqual([`grant:${STARTING_CREDITS}`, `generation:-${hold.credits}`, `refund:${hold.credits}`]);
    await expectLedgerConsistent(db.sql, userId, STARTING_CREDITS);
  });

  it('4. once the claim is stale, the retry takes it over: 200, one version, charged once net; a further retry is replayed', { timeout: 60_000 }, async () => {
    if (hold === undefined || childB === undefined) throw new Error('steps 1–2 did not run');
    // Aged by SQL rather than a short stale limit: the limit is the orphaned-hold grace, which the config
    // refuses below 15 minutes (STORYFORGE_ORPHANED_HOLD_GRACE_MINUTES) so that a running request is never
    // taken for dead. Moving updated_at back is what the passing of that time would do.
    const aged = await db.sql`
      update generation_requests set updated_at = updated_at - make_interval(secs => ${(DEFAULT_ORPHANED_HOLD_GRACE_MS + 60_000) / 1000})
      where user_id = ${userId} and idempotency_key = ${KEY} and state = 'pending'`;
    expect(aged.count).toBe(1);

    const res = await generate(childB.url);
    expect(res.status).toBe(200);
    expect(res.headers.get(IDEMPOTENT_REPLAYED_HEADER)).toBeNull();
    const body = (await res.json()) as { versionId: string; creditsCharged: number; creditsBalance: number };
    // Regenerate renders in full again: the same quote as the dead request's hold.
    expect(body.creditsCharged).toBe(hold.credits);
    expect(body.creditsBalance).toBe(STARTING_CREDITS - hold.credits);
    expect(body.versionId).not.toBe(hold.referenceId);
    expect(await versionIds()).toEqual([body.versionId]);
    const charged = [`grant:${STARTING_CREDITS}`, `generation:-${hold.credits}`, `refund:${hold.credits}`, `generation:-${hold.credits}`];
    expect(await ledgerOf(db.sql, userId)).toEqual(charged);
    await expectLedgerConsistent(db.sql, userId, STARTING_CREDITS - hold.credits);
    expect(await claimOf()).toEqual({ state: 'completed', version_id: body.versionId });

    const replay = await generate(childB.url);
    expect(replay.status).toBe(200);
    expect(replay.headers.get(IDEMPOTENT_REPLAYED_HEADER)).toBe('true');
    expect(await replay.json()).toEqual(body);

    // Nothing rendered, recorded or charged by the replay, and the recorded hold is no orphan.
    expect(await reconcilerAt(pastGrace).reconcileOnce()).toEqual([]);
    expect(await versionIds()).toEqual([body.versionId]);
    expect(await ledgerOf(db.sql, userId)).toEqual(charged);
    await expectLedgerConsistent(db.sql, userId, STARTING_CREDITS - hold.credits);
  });
});
