// Every bad-input class: the right status and code, and nothing changed in the database.
import { randomUUID } from 'node:crypto';
import { sign } from 'hono/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, hlcAt, m, statuses, TEST_JWT_SECRET, type Harness } from '../testing/api-harness';

let h: Harness;
let token: string;
let userId: string;
let project: string;
const T = Date.now();

beforeAll(async () => {
  h = await createHarness({ maxBodyBytes: 64 * 1024 });
  ({ token, userId } = await h.login());
  project = randomUUID();
  await h.mutate(token, [m.insert('projects', project, { title: 'mine' }, hlcAt(T, 'a'))]);
});
afterAll(() => h.close());

async function snapshot() {
  const [counts] = await h.db.sql`select
    (select count(*)::int from projects) as projects, (select count(*)::int from scenes) as scenes,
    (select count(*)::int from characters) as characters, (select count(*)::int from brains) as brains,
    (select count(*)::int from credit_ledger) as ledger, (select sum(credits_balance)::int from users) as credits,
    (select count(*)::int from tombstones) as tombstones`;
  const rows = await h.db.sql`select id, title, description, updated_at, field_clocks from projects order by id`;
  return { counts, rows };
}

function post(body: string, headers: Record<string, string> = {}) {
  return h.app.request('/v1/mutations', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body,
  });
}

describe('per-mutation rejections', () => {
  const vec = (n: number) => Array.from({ length: n }, (_, i) => i / n);
  const cases: [string, () => unknown, string, number][] = [
    ['unknown table', () => m.insert('secrets', randomUUID(), { a: 1 }, hlcAt(T, 'a')), 'unknown_table', 400],
    ['unknown field', () => m.update('projects', project, { colour: 'red' }, hlcAt(T + 1, 'a')), 'unknown_field', 400],
    ['server-only credits_balance', () => m.update('users', userId, { credits_balance: 1e6 }, hlcAt(T + 1, 'a')), 'forbidden_field', 403],
    ['server-only subscription_tier', () => m.update('users', userId, { subscription_tier: 'studio' }, hlcAt(T + 1, 'a')), 'forbidden_field', 403],
    ['server-only updated_at', () => m.update('projects', project, { updated_at: '2000-01-01T00:00:00Z' }, hlcAt(T + 1, 'a')), 'forbidden_field', 403],
    ['server-only field_clocks', () => m.update('projects', project, { field_clocks: {} }, hlcAt(T + 1, 'a')), 'forbidden_field', 403],
    // A version's result and cost are the generation pipeline's to write (applyMutations writer: 'server').
    ['server-only scene_versions.cost_usd', () => m.insert('scene_versions', randomUUID(), { scene_id: randomUUID(), project_id: project, version_number: 1, cost_usd: '0.0000' }, hlcAt(T, 'a')), 'forbidden_field', 403],
    ['server-only scene_versions.video_url', () => m.insert('scene_versions', randomUUID(), { scene_id: randomUUID(), project_id: project, version_number: 1, video_url: 'https://evil.example/x.mp4' }, hlcAt(T, 'a')), 'forbidden_field', 403],
    ['owner change', () => m.update('projects', project, { user_id: randomUUID() }, hlcAt(T + 1, 'a')), 'forbidden_field', 403],
    ['wrong type', () => m.update('projects', project, { title: 42 }, hlcAt(T + 1, 'a')), 'invalid_value', 400],
    ['bad enum', () => m.update('projects', project, { status: 'deleted' }, hlcAt(T + 1, 'a')), 'invalid_value', 400],
    ['bad JSON column', () => m.update('projects', project, { settings: { fps: 1000 } }, hlcAt(T + 1, 'a')), 'invalid_value', 400],
    ['unknown key in JSON column', () => m.update('projects', project, { settings: { evil: true } }, hlcAt(T + 1, 'a')), 'invalid_value', 400],
    ['null in NOT NULL', () => m.update('projects', project, { title: null }, hlcAt(T + 1, 'a')), 'invalid_value', 400],
    ['missing required on insert', () => m.insert('scenes', randomUUID(), { project_id: project }, hlcAt(T, 'a')), 'invalid_value', 400],
    ['vector of the wrong dimension', () => m.insert('characters', randomUUID(), { project_id: project, name: 'c', face_embedding: vec(511) }, hlcAt(T, 'a')), 'invalid_vector', 400],
    ['vector with a non-number', () => m.insert('characters', randomUUID(), { project_id: project, name: 'c', face_embedding: [...vec(511), 'x'] }, hlcAt(T, 'a')), 'invalid_vector', 400],
    ['invalid fractional key', () => m.insert('scenes', randomUUID(), { project_id: project, position: 'a' }, hlcAt(T, 'a')), 'invalid_position', 400],
    ['malformed hlc', () => m.update('projects', project, { title: 'x' }, '2024-01-01'), 'invalid_hlc', 400],
    ['update of a missing row', () => m.update('projects', randomUUID(), { title: 'x' }, hlcAt(T + 1, 'a')), 'not_found', 404],
    ['missing parent', () => m.insert('scenes', randomUUID(), { project_id: randomUUID(), position: 'a0' }, hlcAt(T, 'a')), 'parent_missing', 409],
    ['insert of a user row', () => m.insert('users', randomUUID(), { display_name: 'x' }, hlcAt(T, 'a')), 'forbidden', 403],
    ['delete of your own user row', () => m.delete('users', userId, hlcAt(T + 1, 'a')), 'forbidden', 403],
    ['fields on a delete', () => ({ ...m.delete('projects', project, hlcAt(T + 1, 'a')), fields: { title: 'x' } }), 'invalid_body', 400],
  ];
  it.each(cases)('%s → %s', async (_name, make, code, status) => {
    const before = await snapshot();
    const r = await h.mutate(token, [make()]);
    expect(r.status).toBe(200);
    expect(statuses(r.body)).toEqual([`rejected:${code}`]);
    const res = r.body.results[0]!;
    if (res.status === 'rejected') {
      expect(res.error.status).toBe(status);
      expect(typeof res.error.message).toBe('string');
      expect(res.error.details).toBeTypeOf('object');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a vector with Infinity (1e999 in the JSON text) is rejected', async () => {
    const before = await snapshot();
    const embedding = `[${[...vec(511), 0].join(',').replace(/,0$/, ',1e999')}]`;
    const body = `{"clientId":"c","mutations":[{"mutationId":"${randomUUID()}","table":"characters","op":"insert","id":"${randomUUID()}","hlc":"${hlcAt(T, 'a')}","fields":{"project_id":"${project}","name":"c","face_embedding":${embedding}}}]}`;
    const res = await post(body);
    const json = (await res.json()) as { results: { error: { code: string } }[] };
    expect(json.results[0]?.error.code).toBe('invalid_vector');
    expect(await snapshot()).toEqual(before);
  });
});

describe('request-level rejections', () => {
  it.each([
    ['malformed JSON', () => post('{"clientId": '), 400, 'invalid_body'],
    ['missing mutations', () => post(JSON.stringify({ clientId: 'c' })), 400, 'invalid_body'],
    ['empty batch', () => post(JSON.stringify({ clientId: 'c', mutations: [] })), 400, 'invalid_body'],
    ['mutation without an id', () => post(JSON.stringify({ clientId: 'c', mutations: [{ table: 'projects', op: 'insert', fields: {}, hlc: hlcAt(T, 'a') }] })), 400, 'invalid_body'],
    ['unknown op', () => post(JSON.stringify({ clientId: 'c', mutations: [{ ...m.insert('projects', randomUUID(), { title: 'x' }, hlcAt(T, 'a')), op: 'upsert' }] })), 400, 'invalid_body'],
    ['wrong content-type', () => post(JSON.stringify({ clientId: 'c', mutations: [] }), { 'content-type': 'text/plain' }), 415, 'unsupported_media_type'],
    ['body too large', () => post(JSON.stringify({ clientId: 'c', mutations: [m.insert('projects', randomUUID(), { title: 'x', description: 'y'.repeat(70_000) }, hlcAt(T, 'a'))] })), 413, 'payload_too_large'],
    ['no token', () => post('{}', { authorization: '' }), 401, 'unauthorized'],
    ['garbage token', () => post('{}', { authorization: 'Bearer abc.def.ghi' }), 401, 'unauthorized'],
    ['token signed with another secret', async () => post('{}', { authorization: `Bearer ${await sign({ sub: userId, exp: Math.floor(T / 1000) + 60 }, 'other-secret', 'HS256')}` }), 401, 'unauthorized'],
    ['expired token', async () => post('{}', { authorization: `Bearer ${await sign({ sub: userId, exp: Math.floor(T / 1000) - 60 }, TEST_JWT_SECRET, 'HS256')}` }), 401, 'token_expired'],
    ['token without sub', async () => post('{}', { authorization: `Bearer ${await sign({ exp: Math.floor(T / 1000) + 60 }, TEST_JWT_SECRET, 'HS256')}` }), 401, 'unauthorized'],
  ] as const)('%s → %i %s', async (_name, send, status, code) => {
    const before = await snapshot();
    const res = await send();
    expect(res.status).toBe(status);
    const body = (await res.json()) as { code: string; message: string; details: unknown };
    expect(body.code).toBe(code);
    expect(body.message).toBeTypeOf('string');
    expect(body.details).toBeTypeOf('object');
    expect(await snapshot()).toEqual(before);
  });

  it('unknown routes answer 404 with the error body', async () => {
    const res = await h.app.request('/v1/nope');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('not_found');
  });
});

describe('authorization across users', () => {
  it("another user's project, scenes, brains and user row are off limits", async () => {
    const other = await h.login();
    const brain = randomUUID();
    await h.mutate(token, [m.insert('brains', brain, { name: 'private' }, hlcAt(T, 'a'))]);
    const scene = randomUUID();
    await h.mutate(token, [m.insert('scenes', scene, { project_id: project, position: 'a0' }, hlcAt(T, 'a'))]);
    const before = await snapshot();
    const r = await h.mutate(other.token, [
      m.update('projects', project, { title: 'pwned' }, hlcAt(T + 10, 'z')),
      m.delete('projects', project, hlcAt(T + 10, 'z')),
      m.insert('scenes', randomUUID(), { project_id: project, position: 'a1' }, hlcAt(T + 10, 'z')),
      m.update('scenes', scene, { title: 'pwned' }, hlcAt(T + 10, 'z')),
      m.update('brains', brain, { name: 'pwned' }, hlcAt(T + 10, 'z')),
      m.update('users', userId, { display_name: 'pwned' }, hlcAt(T + 10, 'z')),
      m.insert('projects', randomUUID(), { title: 'x', user_id: userId }, hlcAt(T + 10, 'z')),
      m.insert('projects', randomUUID(), { title: 'x', brain_id: brain }, hlcAt(T + 10, 'z')),
    ]);
    expect(statuses(r.body)).toEqual(Array(8).fill('rejected:forbidden'));
    expect(await snapshot()).toEqual(before);
  });

  it('a public brain can be referenced by others; a user may edit allowed fields of their own row', async () => {
    const other = await h.login();
    const brain = randomUUID();
    await h.mutate(token, [m.insert('brains', brain, { name: 'shared', is_public: true }, hlcAt(T, 'a'))]);
    const r = await h.mutate(other.token, [
      m.insert('projects', randomUUID(), { title: 'x', brain_id: brain }, hlcAt(T + 10, 'z')),
      m.update('users', other.userId, { display_name: 'Zed', settings: { theme: 'dark' } }, hlcAt(T + 10, 'z')),
    ]);
    expect(statuses(r.body)).toEqual(['applied', 'applied']);
  });
});
