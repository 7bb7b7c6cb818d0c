// App-level behaviour: dev mode gating, authenticate() for the sync server, rate limit, clamp, metrics, logs.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from './app';
import { createAuthenticate } from './auth/authenticate';
import { issueToken } from './auth/tokens';
import { createHarness, hlcAt, m, statuses, TEST_JWT_SECRET, type Harness } from './testing/api-harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe('createApiApp', () => {
  it('serves dev login only in dev mode', async () => {
    const prod = createApiApp({ sql: h.db.sql, logger: pino({ level: 'silent' }), registry: new Registry(), auth: { jwtSecret: 's', devMode: false } });
    const res = await prod.request('/v1/auth/dev-login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"a@b.test"}' });
    expect(res.status).toBe(404);
    expect(await h.db.sql`select id from users where email = 'a@b.test'`).toHaveLength(0);
  });

  it('authenticate(): valid token → user id; missing, bad, expired → null', async () => {
    const authenticate = createAuthenticate({ jwtSecret: TEST_JWT_SECRET });
    const userId = randomUUID();
    const good = await issueToken({ userId, secret: TEST_JWT_SECRET, now: Date.now() });
    const expired = await issueToken({ userId, secret: TEST_JWT_SECRET, now: Date.now() - 2 * 86_400_000 });
    const req = (auth?: string) => new Request('http://x/v1/shape', auth ? { headers: { authorization: auth } } : {});
    expect(await authenticate(req(`Bearer ${good}`))).toEqual({ userId });
    expect(await authenticate(req())).toBeNull();
    expect(await authenticate(req('Bearer nope'))).toBeNull();
    expect(await authenticate(req(`Bearer ${expired}`))).toBeNull();
    expect(await authenticate(req(good))).toBeNull();
  });

  it('rate-limits per user with 429 rate_limited and retry-after', async () => {
    const t = { now: Date.now() };
    const app = createApiApp({
      sql: h.db.sql, logger: pino({ level: 'silent' }), registry: new Registry(),
      auth: { jwtSecret: TEST_JWT_SECRET, devMode: true }, rateLimit: { ratePerSecond: 1, burst: 3 }, now: () => t.now,
    });
    const { token } = await h.login();
    const get = () => app.request('/v1/me', { headers: { authorization: `Bearer ${token}` } });
    expect([(await get()).status, (await get()).status, (await get()).status]).toEqual([200, 200, 200]);
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(((await limited.json()) as { code: string }).code).toBe('rate_limited');
    const other = await h.login();
    expect((await app.request('/v1/me', { headers: { authorization: `Bearer ${other.token}` } })).status).toBe(200);
    t.now += 1000;
    expect((await get()).status).toBe(200);
  });

  it('clamps a client clock far in the future so it cannot win every later write', async () => {
    const now = Date.now();
    const { token } = await h.login();
    const project = randomUUID();
    await h.mutate(token, [m.insert('projects', project, { title: 'p' }, hlcAt(now + 365 * 86_400_000, 'fast'))]);
    const [row] = await h.db.sql`select field_clocks from projects where id = ${project}`;
    const wall = Number(String(row!.field_clocks.title).slice(0, 15));
    expect(wall).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(wall).toBeGreaterThanOrEqual(now + 60_000 - 1000);
    // An honest write two minutes later wins over the clamped one.
    const r = await h.mutate(token, [m.update('projects', project, { title: 'later' }, hlcAt(now + 120_000, 'honest'))]);
    expect(statuses(r.body)).toEqual(['applied']);
    const [after] = await h.db.sql`select title from projects where id = ${project}`;
    expect(after!.title).toBe('later');
  });

  it('exposes per-route latency and outcome counters on the injected registry', async () => {
    const { token } = await h.login();
    await h.mutate(token, [m.update('projects', randomUUID(), { title: 'x' }, hlcAt(Date.now(), 'a'))]);
    await h.app.request('/v1/me');
    const text = await h.registry.metrics();
    expect(text).toMatch(/storyforge_api_request_duration_seconds_bucket\{[^}]*route="\/v1\/mutations"[^}]*status="200"/);
    expect(text).toMatch(/storyforge_api_requests_total\{method="GET",route="\/v1\/me",status="401"\} 1/);
    expect(text).toMatch(/storyforge_api_mutations_total\{status="rejected",code="not_found"\} 1/);
  });

  it('logs one structured line per request with its request id', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({ write(chunk, _enc, cb) { lines.push(JSON.parse(String(chunk)) as Record<string, unknown>); cb(); } });
    const app = createApiApp({ sql: h.db.sql, logger: pino({ level: 'info' }, sink), registry: new Registry(), auth: { jwtSecret: TEST_JWT_SECRET, devMode: true }, rateLimit: false });
    const res = await app.request('/v1/me', { headers: { 'x-request-id': 'req-123' } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { requestId: string }).requestId).toBe('req-123');
    expect(lines).toContainEqual(expect.objectContaining({ requestId: 'req-123', path: '/v1/me', status: 401, msg: 'request' }));
  });

  it('mounts beside other routes without wrapping them', async () => {
    const api = createApiApp({ sql: h.db.sql, logger: pino({ level: 'silent' }), registry: new Registry(), auth: { jwtSecret: TEST_JWT_SECRET, devMode: true } });
    const server = new Hono();
    server.get('/v1/shape', (c) => c.text('shape'));
    server.route('/', api);
    const shape = await server.request('/v1/shape');
    expect(await shape.text()).toBe('shape');
    expect(shape.headers.get('x-request-id')).toBeNull();
    const me = await server.request('/v1/me');
    expect(me.status).toBe(401);
    expect(((await me.json()) as { code: string }).code).toBe('unauthorized');
    expect(me.headers.get('x-request-id')).not.toBeNull();
  });
});
