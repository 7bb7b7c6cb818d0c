// The single-port composition in auth mode: a write through /v1/mutations reaches the writer's shape
// with its txid, never another user's, and every part answers on the same port.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testRedisUrl, type TestDatabase } from '@storyforge/db/testing';
import { issueToken } from '../auth/tokens';
import { grantCredits } from '../ledger/credits';
import { startServer, type RunningServer } from './start-server';

const SECRET = 'composition-test-secret-0123456789abcdef';
const ALICE = randomUUID();
const BOB = randomUUID();

interface ShapeMessage {
  key?: string;
  value?: Record<string, unknown>;
  headers: { operation?: string; control?: string; txids?: number[] };
}

let db: TestDatabase;
let server: RunningServer;
let dataDir: string;
let aliceToken: string;
let bobToken: string;

const hlc = (clientId: string) => `${String(Date.now()).padStart(15, '0')}-000000-${clientId}`;

async function shape(token: string | undefined, query: string): Promise<{ status: number; headers: Headers; body: ShapeMessage[] }> {
  const res = await fetch(`${server.url}/v1/shape?${query}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: res.ok ? (JSON.parse(text) as ShapeMessage[]) : [] };
}

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql`insert into users (id, email) values (${ALICE}, 'alice@example.test'), (${BOB}, 'bob@example.test')`;
  dataDir = mkdtempSync(join(tmpdir(), 'storyforge-server-'));
  server = await startServer({
    config: {
      databaseUrl: db.url,
      redisUrl: testRedisUrl(),
      host: '127.0.0.1',
      port: 0,
      dataDir,
      devMode: false,
      jwtSecret: SECRET,
      backupDir: undefined,
    },
    logger: pino({ level: 'silent' }),
    slotName: `slot_${db.name}`,
  });
  aliceToken = await issueToken({ userId: ALICE, secret: SECRET, now: Date.now() });
  bobToken = await issueToken({ userId: BOB, secret: SECRET, now: Date.now() });
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('single-port server (auth mode)', () => {
  const projectId = randomUUID();
  const sceneId = randomUUID();

  it('reports health and refuses dev login outside dev mode', async () => {
    const health = await fetch(`${server.url}/v1/health`);
    expect(await health.json()).toEqual({ status: 'active' });
    const login = await fetch(`${server.url}/v1/auth/dev-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'x@example.test' }),
    });
    expect(login.status).toBe(404);
  });

  it('requires a token for shapes', async () => {
    expect((await shape(undefined, 'table=scenes&offset=-1')).status).toBe(401);
  });

  it("streams a user's own write to their shape with the write's txid, and never to another user", async () => {
    const created = await fetch(`${server.url}/v1/mutations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${aliceToken}` },
      body: JSON.stringify({
        clientId: 'alice-tab',
        mutations: [
          { mutationId: randomUUID(), table: 'projects', op: 'insert', id: projectId, fields: { title: 'Noir' }, hlc: hlc('alice-tab') },
          { mutationId: randomUUID(), table: 'scenes', op: 'insert', id: sceneId, fields: { project_id: projectId, position: 'a0', title: 'Rain' }, hlc: hlc('alice-tab') },
        ],
      }),
    });
    expect(created.status).toBe(200);

    const initial = await shape(aliceToken, 'table=scenes&offset=-1');
    expect(initial.status).toBe(200);
    expect(initial.body.filter((m) => m.value?.id === sceneId)).toHaveLength(1);
    const bobInitial = await shape(bobToken, 'table=scenes&offset=-1');
    expect(bobInitial.body.filter((m) => m.value !== undefined)).toHaveLength(0);

    // Catch up to the live edge, then hold a live request while Alice edits the scene.
    let offset = initial.headers.get('electric-offset') ?? '';
    const handle = initial.headers.get('electric-handle') ?? '';
    for (let i = 0; i < 10; i++) {
      const next = await shape(aliceToken, `table=scenes&offset=${offset}&handle=${handle}`);
      offset = next.headers.get('electric-offset') ?? offset;
      if (next.headers.has('electric-up-to-date')) break;
    }
    const live = shape(aliceToken, `table=scenes&offset=${offset}&handle=${handle}&live=true`);
    const edit = await fetch(`${server.url}/v1/mutations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${aliceToken}` },
      body: JSON.stringify({
        clientId: 'alice-tab',
        mutations: [{ mutationId: randomUUID(), table: 'scenes', op: 'update', id: sceneId, fields: { title: 'Storm' }, hlc: hlc('alice-tab') }],
      }),
    });
    const { txid } = (await edit.json()) as { txid: number };
    const change = (await live).body.find((m) => m.value?.id === sceneId || m.key?.includes(sceneId));
    expect(change?.headers.operation).toBe('update');
    expect(change?.value?.title).toBe('Storm');
    expect(change?.headers.txids).toContain(txid);
  });

  it('serves a generation, charges a miss once, answers the repeat from L1 for free, and syncs the version', async () => {
    await db.sql.begin((tx) => grantCredits({ tx, userId: ALICE, amount: 1000, reason: 'grant' }));
    const generate = async () => {
      const res = await fetch(`${server.url}/v1/generations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${aliceToken}` },
        body: JSON.stringify({
          projectId,
          sceneId,
          prompt: 'A detective walks through neon rain at night',
          parameters: { lighting: -0.5, camera_angle: 0.2, mood: -0.8, pacing: 0.1, model_provider: 'simulated' },
        }),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { layer: string; versionId: string; videoUrl: string; creditsCharged: number };
    };
    const first = await generate();
    const second = await generate();
    expect(first.layer).not.toMatch(/^L[12]$/);
    expect(first.creditsCharged).toBeGreaterThan(0);
    expect(second.layer).toBe('L1');
    expect(second.creditsCharged).toBe(0);
    const me = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${aliceToken}` } });
    const { user, ledger } = (await me.json()) as { user: { credits_balance: number }; ledger: { delta: number }[] };
    expect(user.credits_balance).toBe(1000 - first.creditsCharged);
    expect(ledger.map((e) => e.delta)).toEqual([-first.creditsCharged, 1000]);
    const video = await fetch(new URL(first.videoUrl, server.url));
    expect(video.status).toBe(200);
    expect((await video.arrayBuffer()).byteLength).toBeGreaterThan(0);
    const versions = await shape(aliceToken, 'table=scene_versions&offset=-1');
    expect(versions.body.map((m) => m.value?.id)).toEqual(expect.arrayContaining([first.versionId, second.versionId]));
    const bobVersions = await shape(bobToken, 'table=scene_versions&offset=-1');
    expect(bobVersions.body.filter((m) => m.value !== undefined)).toHaveLength(0);
  });

  it('replays a generation retried with its Idempotency-Key, and lets a browser send the key and read the replay headers', async () => {
    const origin = 'https://app.example.test';
    const preflight = await fetch(`${server.url}/v1/generations`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, idempotency-key' },
    });
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
    const key = randomUUID();
    const generate = () =>
      fetch(`${server.url}/v1/generations`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${aliceToken}`, 'idempotency-key': key },
        body: JSON.stringify({
          projectId,
          sceneId,
          prompt: 'A lighthouse keeper climbs the stairs in a storm',
          parameters: { lighting: -0.5, camera_angle: 0.2, mood: -0.8, pacing: 0.1, model_provider: 'simulated' },
          regenerate: true,
        }),
      });
    const first = await generate();
    expect(first.status).toBe(200);
    const retry = await generate();
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('access-control-expose-headers')?.toLowerCase().split(',')).toEqual(expect.arrayContaining(['idempotent-replayed', 'retry-after']));
    expect(await retry.json()).toEqual(await first.json());
  });

  it('serves sync and api metrics from one registry', async () => {
    const text = await (await fetch(`${server.url}/v1/metrics`)).text();
    expect(text).toMatch(/^storyforge_api_requests_total\{[^}]*route="\/v1\/mutations"[^}]*status="200"\} 2$/m);
    expect(text).toMatch(/^storyforge_sync_changes_ingested_total \d+/m);
    expect(text).toMatch(/^process_cpu_seconds_total/m);
  });
});
