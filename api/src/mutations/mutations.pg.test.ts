import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, hlcAt, m, statuses, type Harness } from '../testing/api-harness';

// Every case runs on both apply paths: set-based (fast) and one savepoint per mutation.
describe.each([true, false])('fastPath=%s', (fastPath) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ fastPath });
  });
  afterAll(() => h.close());

  const T = Date.now();

  async function newProject(token: string, title = 'P') {
    const id = randomUUID();
    const r = await h.mutate(token, [m.insert('projects', id, { title }, hlcAt(T, 'a'))]);
    expect(statuses(r.body)).toEqual(['applied']);
    return id;
  }

  describe('POST /v1/mutations', () => {
    it('applies an insert, returns the merged row and the txid the replication stream will carry', async () => {
      const { token, userId } = await h.login();
      const slot = `t_${randomUUID().replaceAll('-', '')}`;
      await h.db.sql`select pg_create_logical_replication_slot(${slot}, 'test_decoding')`;
      const id = randomUUID();
      const r = await h.mutate(token, [m.insert('projects', id, { title: 'Hello', settings: { fps: 24 } }, hlcAt(T, 'a'))]);
      expect(r.status).toBe(200);
      expect(typeof r.body.txid).toBe('number');
      const res = r.body.results[0]!;
      expect(res.status).toBe('applied');
      if (res.status !== 'applied') return;
      expect(res.row).toMatchObject({ id, user_id: userId, title: 'Hello', settings: { fps: 24 } });
      // The rows sit in a savepoint (own subxact xid); the stream's Begin carries the top-level xid.
      const changes = await h.db.sql<{ data: string }[]>`select data from pg_logical_slot_get_changes(${slot}, null, null)`;
      await h.db.sql`select pg_drop_replication_slot(${slot})`;
      const begins = changes.filter((c) => c.data.startsWith('BEGIN ')).map((c) => Number(c.data.slice(6)));
      const ours = changes.findIndex((c) => c.data.includes(id));
      expect(ours).toBeGreaterThan(0);
      const beginBefore = changes.slice(0, ours).filter((c) => c.data.startsWith('BEGIN ')).at(-1);
      expect(Number(beginBefore?.data.slice(6))).toBe(r.body.txid);
      expect(begins).toContain(r.body.txid);
    });

    it('merges concurrent edits of different fields; same field → higher HLC, tie → higher client id', async () => {
      const { token } = await h.login();
      const project = await newProject(token);
      const scene = randomUUID();
      await h.mutate(token, [m.insert('scenes', scene, { project_id: project, position: 'a0', title: 't0', prompt: 'p0' }, hlcAt(T, 'a'))]);
      // Three clients edit offline and push in an order that is not their clock order.
      await h.mutate(token, [m.update('scenes', scene, { title: 'from-c', prompt: 'c' }, hlcAt(T + 30, 'c', 0))], 'c');
      await h.mutate(token, [m.update('scenes', scene, { title: 'from-a', status: 'ready' }, hlcAt(T + 10, 'a', 0))], 'a');
      await h.mutate(token, [m.update('scenes', scene, { prompt: 'b', duration_seconds: 4 }, hlcAt(T + 30, 'b', 0))], 'b');
      const [row] = await h.db.sql`select title, prompt, status, duration_seconds, field_clocks from scenes where id = ${scene}`;
      expect(row).toMatchObject({ title: 'from-c', prompt: 'c', status: 'ready', duration_seconds: 4 });
      expect(row!.field_clocks.title).toBe(hlcAt(T + 30, 'c', 0));
    });

    it('an insert of an existing id merges instead of failing (offline retry)', async () => {
      const { token } = await h.login();
      const id = randomUUID();
      await h.mutate(token, [m.insert('projects', id, { title: 'one' }, hlcAt(T, 'a'))]);
      const r = await h.mutate(token, [m.insert('projects', id, { title: 'two', description: 'd' }, hlcAt(T + 1, 'b'))]);
      expect(statuses(r.body)).toEqual(['applied']);
      const [row] = await h.db.sql`select title, description from projects where id = ${id}`;
      expect(row).toEqual({ title: 'two', description: 'd' });
    });

    it('delete wins over concurrent updates, even ones with a later HLC, and is never resurrected', async () => {
      const { token } = await h.login();
      const project = await newProject(token);
      const scene = randomUUID();
      await h.mutate(token, [m.insert('scenes', scene, { project_id: project, position: 'a0' }, hlcAt(T, 'a'))]);
      const del = await h.mutate(token, [m.delete('scenes', scene, hlcAt(T + 5, 'a'))]);
      expect(statuses(del.body)).toEqual(['applied']);
      const late = await h.mutate(token, [
        m.update('scenes', scene, { title: 'late' }, hlcAt(T + 100, 'b')),
        m.insert('scenes', scene, { project_id: project, position: 'a0' }, hlcAt(T + 200, 'b')),
        m.delete('scenes', scene, hlcAt(T + 6, 'c')),
      ]);
      expect(statuses(late.body)).toEqual(['rejected:deleted', 'rejected:deleted', 'applied']);
      expect(await h.db.sql`select id from scenes where id = ${scene}`).toHaveLength(0);
      expect(await h.db.sql`select hlc from tombstones where row_id = ${scene}`).toHaveLength(1);
    });

    it('deleting a project cascades to its scenes', async () => {
      const { token } = await h.login();
      const project = await newProject(token);
      const scene = randomUUID();
      await h.mutate(token, [m.insert('scenes', scene, { project_id: project, position: 'a0' }, hlcAt(T, 'a'))]);
      expect(statuses((await h.mutate(token, [m.delete('projects', project, hlcAt(T + 1, 'a'))])).body)).toEqual(['applied']);
      expect(await h.db.sql`select id from scenes where id = ${scene}`).toHaveLength(0);
      const r = await h.mutate(token, [m.update('scenes', scene, { title: 'x' }, hlcAt(T + 2, 'a'))]);
      expect(statuses(r.body)).toEqual(['rejected:not_found']);
    });

    it('one rejection does not sink the rest of the batch, and changes nothing itself', async () => {
      const { token } = await h.login();
      const project = await newProject(token);
      const good = randomUUID();
      const bad = randomUUID();
      const r = await h.mutate(token, [
        m.insert('scenes', bad, { project_id: randomUUID(), position: 'a0' }, hlcAt(T, 'a')),
        m.insert('scenes', good, { project_id: project, position: 'a1' }, hlcAt(T, 'a')),
        m.update('scenes', randomUUID(), { title: 'x' }, hlcAt(T, 'a')),
      ]);
      expect(statuses(r.body)).toEqual(['rejected:parent_missing', 'applied', 'rejected:not_found']);
      const rejected = r.body.results[0]!;
      if (rejected.status === 'rejected') expect(rejected.error.status).toBe(409);
      expect(await h.db.sql`select id from scenes where id in (${good}, ${bad})`).toEqual([{ id: good }]);
    });

    it('scenes inserted between the same neighbours by two clients both survive, ordered by (position, id)', async () => {
      const { token } = await h.login();
      const project = await newProject(token);
      const [first, last, x, y] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      await h.mutate(token, [
        m.insert('scenes', first, { project_id: project, position: 'a0' }, hlcAt(T, 'a')),
        m.insert('scenes', last, { project_id: project, position: 'a1' }, hlcAt(T, 'a')),
      ]);
      // Both devices compute generateKeyBetween('a0', 'a1') = 'a0V' offline.
      const rb = await h.mutate(token, [m.insert('scenes', y, { project_id: project, position: 'a0V', title: 'y' }, hlcAt(T + 1, 'b'))], 'b');
      const ra = await h.mutate(token, [m.insert('scenes', x, { project_id: project, position: 'a0V', title: 'x' }, hlcAt(T + 1, 'a'))], 'a');
      expect([...statuses(ra.body), ...statuses(rb.body)]).toEqual(['applied', 'applied']);
      const rows = await h.db.sql<{ id: string }[]>`select id from scenes where project_id = ${project} order by position, id`;
      const [mid1, mid2] = [x, y].sort();
      expect(rows.map((r) => r.id)).toEqual([first, mid1, mid2, last]);
    });
  });
});

describe('scene versions and the current version pointer (per-mutation path)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it('checks scene/project consistency and that current_version_id names a version of this scene', async () => {
    const T = Date.now();
    const { token } = await h.login();
    const [p1, p2, s1, s2, v1, v2, bad] = Array.from({ length: 7 }, () => randomUUID());
    const setup = await h.mutate(token, [
      m.insert('projects', p1!, { title: 'one' }, hlcAt(T, 'a')),
      m.insert('projects', p2!, { title: 'two' }, hlcAt(T, 'a')),
      m.insert('scenes', s1!, { project_id: p1, position: 'a0' }, hlcAt(T, 'a')),
      m.insert('scenes', s2!, { project_id: p1, position: 'a1' }, hlcAt(T, 'a')),
      m.insert('scene_versions', v1!, { scene_id: s1, project_id: p1, version_number: 1 }, hlcAt(T, 'a')),
      m.insert('scene_versions', v2!, { scene_id: s2, project_id: p1, version_number: 1 }, hlcAt(T, 'a')),
    ]);
    expect(statuses(setup.body)).toEqual(Array(6).fill('applied'));
    const r = await h.mutate(token, [
      m.insert('scene_versions', bad!, { scene_id: s1, project_id: p2, version_number: 2 }, hlcAt(T + 1, 'a')),
      m.update('scenes', s1!, { current_version_id: v2 }, hlcAt(T + 1, 'a')),
      m.update('scenes', s1!, { current_version_id: randomUUID() }, hlcAt(T + 1, 'a')),
      m.update('scene_versions', v1!, { project_id: p2 }, hlcAt(T + 1, 'a')),
      m.update('scenes', s1!, { current_version_id: v1 }, hlcAt(T + 2, 'a')),
    ]);
    expect(statuses(r.body)).toEqual(['rejected:invalid_value', 'rejected:parent_missing', 'rejected:parent_missing', 'rejected:forbidden_field', 'applied']);
    const [scene] = await h.db.sql`select current_version_id from scenes where id = ${s1!}`;
    expect(scene!.current_version_id).toBe(v1);
    expect(await h.db.sql`select id from scene_versions where id = ${bad!}`).toHaveLength(0);
  });
});
