import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, TEST_JWT_SECRET, type Harness } from '../testing/api-harness';
import { createSearchRoutes } from './search-routes';
import { toPgVector } from './similarity';

let h: Harness;
let app: ReturnType<typeof createSearchRoutes>;
let user: { token: string; userId: string };
let other: { token: string; userId: string };
const projectId = randomUUID();
const ids = { mara: randomUUID(), maraTwin: randomUUID(), theo: randomUUID(), iris: randomUUID() };

/** 512-d unit vector: `cos` towards axis 0, the rest on `axis`. */
function face(cos: number, axis: number, dims = 512): number[] {
  const v = new Array<number>(dims).fill(0);
  v[0] = cos;
  v[axis] = Math.sqrt(1 - cos * cos);
  return v;
}

beforeAll(async () => {
  h = await createHarness();
  app = createSearchRoutes({ sql: h.db.sql, logger: pino({ level: 'silent' }), jwtSecret: TEST_JWT_SECRET });
  user = await h.login();
  other = await h.login();
  const sql = h.db.sql;
  await sql`insert into projects (id, user_id, title) values (${projectId}, ${user.userId}, 'P')`;
  const chars: Array<[string, string, number[]]> = [
    [ids.mara, 'Mara', face(1, 1)],
    [ids.maraTwin, 'Mara (older)', face(0.97, 2)],
    [ids.theo, 'Theo', face(0.5, 3)],
    [ids.iris, 'Iris', face(0.1, 4)],
  ];
  for (const [id, name, v] of chars) await sql`insert into characters (id, project_id, name, face_embedding) values (${id}, ${projectId}, ${name}, ${toPgVector(v)})`;
  const brains: Array<[string, string, boolean, number[]]> = [
    [randomUUID(), user.userId, false, face(1, 1, 128)],
    [randomUUID(), other.userId, true, face(0.9, 2, 128)],
    [randomUUID(), other.userId, false, face(0.99, 3, 128)],
  ];
  for (const [id, owner, pub, v] of brains) await sql`insert into brains (id, user_id, name, is_public, style_vector) values (${id}, ${owner}, ${'b'}, ${pub}, ${toPgVector(v)})`;
});
afterAll(() => h.close());

const post = (path: string, token: string, body: unknown) =>
  app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

describe('vector search routes', () => {
  it('finds similar characters by character id, ranked by cosine similarity, excluding itself', async () => {
    const res = await post('/v1/search/characters', user.token, { projectId, characterId: ids.mara, k: 2 });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: Array<{ id: string; similarity: number }> };
    expect(results.map((r) => r.id)).toEqual([ids.maraTwin, ids.theo]);
    expect(results[0]?.similarity).toBeCloseTo(0.97, 4);
  });

  it('finds by raw vector with a similarity floor', async () => {
    const res = await post('/v1/search/characters', user.token, { projectId, vector: face(1, 5), minSimilarity: 0.4 });
    const { results } = (await res.json()) as { results: Array<{ id: string }> };
    expect(results.map((r) => r.id)).toEqual([ids.mara, ids.maraTwin, ids.theo]);
  });

  it('scores consistency: close to the character and closer to it than to anyone else', async () => {
    const good = (await (await post(`/v1/search/characters/${ids.theo}/consistency`, user.token, { vector: face(0.5, 3) })).json()) as { score: number; consistent: boolean };
    expect(good.score).toBeCloseTo(1, 4);
    expect(good.consistent).toBe(true);
    const drift = (await (await post(`/v1/search/characters/${ids.maraTwin}/consistency`, user.token, { vector: face(1, 6) })).json()) as { score: number; consistent: boolean; nearestOther: { id: string } };
    expect(drift.nearestOther.id).toBe(ids.mara);
    expect(drift.consistent).toBe(false);
  });

  it('brains: own + public by default, never another user’s private one', async () => {
    const res = await post('/v1/search/brains', user.token, { vector: face(1, 7, 128), k: 10 });
    const { results } = (await res.json()) as { results: Array<{ userId: string; isPublic: boolean; similarity: number }> };
    expect(results).toHaveLength(2);
    expect(results.every((r) => r.userId === user.userId || r.isPublic)).toBe(true);
    const pub = (await (await post('/v1/search/brains', user.token, { vector: face(1, 7, 128), filter: { scope: 'public' } })).json()) as { results: unknown[] };
    expect(pub.results).toHaveLength(1);
  });

  it('ranks a project\'s characters exactly, however many faces of other projects sit closer in the index', async () => {
    const sql = h.db.sql;
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const query = Array.from({ length: 512 }, rand);
    const near = (spread: number) => query.map((x) => x + spread * rand());
    const crowd = randomUUID();
    const mine = randomUUID();
    await sql`insert into projects (id, user_id, title) values (${crowd}, ${other.userId}, 'crowd'), (${mine}, ${user.userId}, 'mine')`;
    // 2,000 faces of another project right around the query; this project's 150 faces further away.
    const crowdRows = Array.from({ length: 2000 }, (_, i) => ({ id: randomUUID(), project_id: crowd, name: `c${i}`, face_embedding: toPgVector(near(0.3)) }));
    const mineFaces = Array.from({ length: 150 }, () => near(1.5));
    const mineRows = mineFaces.map((f, i) => ({ id: randomUUID(), project_id: mine, name: `m${i}`, face_embedding: toPgVector(f) }));
    for (let i = 0; i < crowdRows.length; i += 500) await sql`insert into characters ${sql(crowdRows.slice(i, i + 500))}`;
    await sql`insert into characters ${sql(mineRows)}`;
    const cosine = (a: number[], b: number[]) => {
      let dot = 0, na = 0, nb = 0;
      for (let i = 0; i < a.length; i++) { dot += (a[i] ?? 0) * (b[i] ?? 0); na += (a[i] ?? 0) ** 2; nb += (b[i] ?? 0) ** 2; }
      return dot / Math.sqrt(na * nb);
    };
    const exact = mineRows.map((r, i) => ({ id: r.id, sim: cosine(query, mineFaces[i] ?? []) })).sort((a, b) => b.sim - a.sim).slice(0, 10);
    const res = await post('/v1/search/characters', user.token, { projectId: mine, vector: query, k: 10 });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: Array<{ id: string }> };
    expect(results.map((r) => r.id)).toEqual(exact.map((e) => e.id));
  });

  it('rejects wrong dimensions, NaN-free but wrong shapes, foreign projects, missing auth', async () => {
    expect((await post('/v1/search/characters', user.token, { projectId, vector: [1, 2, 3] })).status).toBe(400);
    const bad = await post('/v1/search/characters', user.token, { projectId, vector: face(1, 1), characterId: ids.mara });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('invalid_body');
    const wrongDims = await post('/v1/search/brains', user.token, { vector: face(1, 1, 512) });
    expect(((await wrongDims.json()) as { code: string }).code).toBe('invalid_vector');
    expect((await post('/v1/search/characters', other.token, { projectId, characterId: ids.mara })).status).toBe(403);
    expect((await app.request('/v1/search/brains', { method: 'POST', body: '{}' })).status).toBe(401);
  });
});
