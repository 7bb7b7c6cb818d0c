// Convergence against real Postgres: the same writes from 3+ clients, in any order, duplicated, split into
// any batches, or sent concurrently, leave identical rows (the LWW model's answer).
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, m, statuses, type Harness } from '../testing/api-harness';
import { listen, type RunningServer } from '../testing/http-server';

// Every case runs on both apply paths: set-based (fast) and one savepoint per mutation.
describe.each([true, false])('fastPath=%s', (fastPath) => {
  let h: Harness;
  let token: string;
  let project: string;
  const T = Date.now() - 3_600_000;
  const hlc = (wall: number, counter: number, client: string) =>
    `${String(T + wall).padStart(15, '0')}-${String(counter).padStart(6, '0')}-${client}`;

  beforeAll(async () => {
    h = await createHarness({ fastPath });
    ({ token } = await h.login());
    project = randomUUID();
    await h.mutate(token, [m.insert('projects', project, { title: 'p' }, hlc(0, 0, 'a'))]);
  });
  afterAll(() => h.close());

  const FIELDS = ['title', 'prompt', 'status', 'duration_seconds'] as const;
  const valueArb = {
    title: fc.constantFrom('x', 'y', 'z'),
    prompt: fc.constantFrom('p', 'q'),
    status: fc.constantFrom('draft', 'ready', 'failed'),
    duration_seconds: fc.constantFrom(1, 2.5, 8),
  };
  const opArb = fc.record({
    kind: fc.constantFrom('update', 'update', 'update', 'insert', 'delete'),
    wall: fc.integer({ min: 1, max: 4 }),
    counter: fc.integer({ min: 0, max: 1 }),
    client: fc.constantFrom('a', 'b', 'c'),
    fields: fc.record(valueArb, { requiredKeys: [] }),
  });
  type Op = { kind: string; hlc: string; fields: Record<string, unknown> };

  function model(ops: Op[]): Record<string, unknown> | null {
    if (ops.some((o) => o.kind === 'delete')) return null;
    const row: Record<string, unknown> = { title: 't0', prompt: '', status: 'draft', duration_seconds: null };
    const clocks: Record<string, string> = { title: hlc(0, 0, 'a') };
    for (const f of FIELDS) {
      for (const o of ops) {
        if (o.fields[f] !== undefined && (clocks[f] === undefined || o.hlc > clocks[f]!)) {
          row[f] = o.fields[f];
          clocks[f] = o.hlc;
        }
      }
    }
    return row;
  }

  async function finalRow(scene: string) {
    const rows = await h.db.sql`select title, prompt, status, duration_seconds, field_clocks from scenes where id = ${scene}`;
    return rows[0] ?? null;
  }

  /** Sends `seq` (indices into ops, duplicates allowed) for `scene`, cut into batches at `cuts`. */
  async function play(scene: string, ops: Op[], seq: number[], cuts: Set<number>) {
    const base = m.insert('scenes', scene, { project_id: project, position: 'a0', title: 't0' }, hlc(0, 0, 'a'));
    expect(statuses((await h.mutate(token, [base])).body)).toEqual(['applied']);
    // One mutation id per op for this replica: a resent op is a retry of the same mutation.
    const wire = ops.map((o) =>
      o.kind === 'delete' ? m.delete('scenes', scene, o.hlc) : o.kind === 'insert' ? m.insert('scenes', scene, o.fields, o.hlc) : m.update('scenes', scene, o.fields, o.hlc),
    );
    let batch: unknown[] = [];
    for (let i = 0; i < seq.length; i++) {
      batch.push(wire[seq[i]!]);
      if (cuts.has(i) || i === seq.length - 1) {
        const r = await h.mutate(token, batch);
        expect(r.status).toBe(200);
        for (const res of r.body.results) {
          if (res.status === 'rejected') expect(res.error.code).toBe('deleted');
        }
        batch = [];
      }
    }
  }

  describe('convergence (fast-check against Postgres)', () => {
    it('any order, any duplication, any batching of the same mutations → the same final row', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(opArb, { selector: (o) => `${o.wall}-${o.counter}-${o.client}`, minLength: 1, maxLength: 7 }),
          fc.array(fc.nat(), { minLength: 14, maxLength: 14 }),
          fc.array(fc.nat({ max: 20 }), { maxLength: 4 }),
          async (raw, rnd, cutList) => {
            const ops: Op[] = raw.map((o) => ({
              kind: o.kind,
              hlc: hlc(o.wall, o.counter, o.client),
              // An insert of an existing id needs the row's required fields like any insert.
              fields: o.kind === 'delete' ? {} : o.kind === 'insert' ? { project_id: project, position: 'a0', ...o.fields } : o.fields,
            }));
            const inOrder = ops.map((_, i) => i);
            const shuffled = [...inOrder, ...inOrder.filter((i) => (rnd[i] ?? 0) % 3 === 0)];
            for (let i = shuffled.length - 1; i > 0; i--) {
              const j = (rnd[i % rnd.length] ?? 0) % (i + 1);
              [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
            }
            const [s1, s2] = [randomUUID(), randomUUID()];
            await play(s1, ops, inOrder, new Set());
            await play(s2, ops, shuffled, new Set(cutList));
            const [r1, r2] = [await finalRow(s1), await finalRow(s2)];
            expect(r2).toEqual(r1);
            const expected = model(ops.map((o) => ({ ...o, fields: Object.fromEntries(Object.entries(o.fields).filter(([k]) => k !== 'project_id' && k !== 'position')) })));
            if (expected === null) expect(r1).toBeNull();
            else expect(r1).toMatchObject(expected);
          },
        ),
        { numRuns: 40 },
      );
    });
  });

  describe('concurrent conflicting writers over HTTP', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await listen(h.app.fetch);
    });
    afterAll(() => server.close());

    it('4 clients hammering the same rows at once converge to the per-field LWW winner', async () => {
      const scenes = [randomUUID(), randomUUID()];
      for (const s of scenes) await h.mutate(token, [m.insert('scenes', s, { project_id: project, position: 'a0', title: 't0' }, hlc(0, 0, 'a'))]);
      const clients = ['a', 'b', 'c', 'd'];
      const sent: { scene: string; hlc: string; fields: Record<string, unknown> }[] = [];
      const work = clients.map(async (client, ci) => {
        for (let round = 0; round < 15; round++) {
          const batch = scenes.map((scene, si) => {
            const fields = round % 2 === 0 ? { title: `${client}${round}` } : { title: `${client}${round}`, prompt: `${client}-${si}-${round}` };
            // Clocks interleave across clients: wall depends on (round * 7 + ci) % 11, so later rounds don't always win.
            const clock = hlc(1 + ((round * 7 + ci * 3) % 11), round, client);
            sent.push({ scene, hlc: clock, fields });
            return m.update('scenes', scene, fields, clock);
          });
          const res = await fetch(`${server.url}/v1/mutations`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ clientId: client, mutations: batch }),
          });
          expect(res.status).toBe(200);
        }
      });
      await Promise.all(work);
      for (const scene of scenes) {
        const mine = sent.filter((s) => s.scene === scene);
        const winner = (f: string) => mine.filter((s) => s.fields[f] !== undefined).sort((x, y) => (x.hlc < y.hlc ? 1 : -1))[0]!;
        const row = await finalRow(scene);
        expect(row).toMatchObject({ title: winner('title').fields.title, prompt: winner('prompt').fields.prompt });
        expect(row!.field_clocks).toMatchObject({ title: winner('title').hlc, prompt: winner('prompt').hlc });
      }
    });
  });
});
