// Retries over real HTTP: lost responses, concurrent duplicates, concurrent creators of one id.
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, hlcAt, m, statuses, type Harness, type MutationsBody } from '../testing/api-harness';
import { listen, type RunningServer } from '../testing/http-server';

// Every case runs on both apply paths: set-based (fast) and one savepoint per mutation.
describe.each([true, false])('fastPath=%s', (fastPath) => {
  let h: Harness;
  let server: RunningServer;
  let token: string;
  let project: string;
  const T = Date.now();

  beforeAll(async () => {
    h = await createHarness({ fastPath });
    server = await listen(h.app.fetch);
    ({ token } = await h.login());
    project = randomUUID();
    await h.mutate(token, [m.insert('projects', project, { title: 'p' }, hlcAt(T, 'a'))]);
  });
  afterAll(async () => {
    await server.close();
    await h.close();
  });

  async function post(mutations: unknown[], clientId = 'c'): Promise<MutationsBody> {
    const res = await fetch(`${server.url}/v1/mutations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ clientId, mutations }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as MutationsBody;
  }

  async function rowVersion(id: string) {
    const [row] = await h.db.sql`select xmin::text as xmin, updated_at, title from scenes where id = ${id}`;
    return row;
  }

  describe('idempotency', () => {
    it('a retry of a committed mutation is a duplicate with the original txid, and is not applied again', async () => {
      const scene = randomUUID();
      const insert = m.insert('scenes', scene, { project_id: project, position: 'a0', title: 'v1' }, hlcAt(T, 'a'));
      const first = await post([insert]);
      expect(statuses(first)).toEqual(['applied']);
      const before = await rowVersion(scene);
      const again = await post([insert, insert]);
      expect(statuses(again)).toEqual(['duplicate', 'duplicate']);
      const dup = again.results[0]!;
      if (dup.status === 'duplicate') {
        expect(dup.txid).toBe(first.txid);
        expect(dup.result).toEqual({ status: 'applied' });
      }
      expect(await rowVersion(scene)).toEqual(before);
    });

    it('a duplicate inside one batch is applied once', async () => {
      const scene = randomUUID();
      const insert = m.insert('scenes', scene, { project_id: project, position: 'a0' }, hlcAt(T, 'a'));
      expect(statuses(await post([insert, insert]))).toEqual(['applied', 'duplicate']);
    });

    it('a rejected mutation retried gets the same rejection', async () => {
      const bad = m.update('scenes', randomUUID(), { title: 'x' }, hlcAt(T, 'a'));
      expect(statuses(await post([bad]))).toEqual(['rejected:not_found']);
      const retry = await post([bad]);
      expect(statuses(retry)).toEqual(['duplicate']);
      const r = retry.results[0]!;
      if (r.status === 'duplicate') expect(r.result).toMatchObject({ status: 'rejected', error: { code: 'not_found' } });
    });

    it('crash after commit: the connection drops before the response, the retry is a duplicate, applied exactly once', async () => {
      const scene = randomUUID();
      const insert = m.insert('scenes', scene, { project_id: project, position: 'a0', title: 'lost' }, hlcAt(T, 'a'));
      const body = JSON.stringify({ clientId: 'c', mutations: [insert] });
      // Raw socket: send the whole request, then hang up without reading a byte of the response.
      await new Promise<void>((resolve, reject) => {
        const socket = connect(server.port, '127.0.0.1', () => {
          socket.write(
            `POST /v1/mutations HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
              `authorization: Bearer ${token}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
            () => {
              socket.destroy();
              resolve();
            },
          );
        });
        socket.on('error', reject);
      });
      // The server finishes and commits on its own; wait for it.
      let committed = false;
      for (let i = 0; i < 100 && !committed; i++) {
        committed = (await h.db.sql`select 1 from processed_mutations where mutation_id = ${insert.mutationId}`).length === 1;
        if (!committed) await new Promise((r) => setTimeout(r, 20));
      }
      expect(committed).toBe(true);
      const before = await rowVersion(scene);
      expect(before?.title).toBe('lost');
      const retry = await post([insert]);
      expect(statuses(retry)).toEqual(['duplicate']);
      expect(await rowVersion(scene)).toEqual(before);
      expect(await h.db.sql`select 1 from processed_mutations where mutation_id = ${insert.mutationId}`).toHaveLength(1);
    });

    it('concurrent retries of one batch: exactly one applies, the others wait for it and answer duplicate', async () => {
      const scene = randomUUID();
      const batch = [
        m.insert('scenes', scene, { project_id: project, position: 'a0', title: 'c0' }, hlcAt(T, 'a')),
        m.update('scenes', scene, { title: 'c1' }, hlcAt(T + 1, 'a')),
      ];
      const answers = await Promise.all(Array.from({ length: 6 }, () => post(batch)));
      const all = answers.map((a) => statuses(a).join(','));
      expect(all.filter((s) => s === 'applied,applied')).toHaveLength(1);
      expect(all.filter((s) => s === 'duplicate,duplicate')).toHaveLength(5);
      const winner = answers.find((a) => a.results[0]?.status === 'applied')!;
      for (const a of answers) {
        const r = a.results[0]!;
        if (r.status === 'duplicate') expect(r.txid).toBe(winner.txid);
      }
      expect((await rowVersion(scene))?.title).toBe('c1');
    });

    it('devices creating the same new id at once both succeed and merge (no unique-violation leaks out)', async () => {
      const scene = randomUUID();
      const clients = ['a', 'b', 'c', 'd'];
      const answers = await Promise.all(
        clients.map((c, i) =>
          post([m.insert('scenes', scene, { project_id: project, position: 'a0', title: `from-${c}`, prompt: `p${i}` }, hlcAt(T + 5, c, 0))], c),
        ),
      );
      expect(answers.flatMap(statuses)).toEqual(['applied', 'applied', 'applied', 'applied']);
      const [row] = await h.db.sql`select title, prompt from scenes where id = ${scene}`;
      expect(row).toEqual({ title: 'from-d', prompt: 'p3' });
    });

    it('a Postgres connection killed mid-batch: 500, nothing half-applied, the retry applies exactly once', async () => {
      const [a, b] = [randomUUID(), randomUUID()];
      await post([
        m.insert('scenes', a, { project_id: project, position: 'a0', title: 'a0' }, hlcAt(T, 'a')),
        m.insert('scenes', b, { project_id: project, position: 'a1', title: 'b0' }, hlcAt(T, 'a')),
      ]);
      const batch = [m.update('scenes', a, { title: 'a1' }, hlcAt(T + 1, 'a')), m.update('scenes', b, { title: 'b1' }, hlcAt(T + 1, 'a'))];
      // Hold b's row lock elsewhere so the batch stalls inside its transaction, then kill its backend.
      const blocker = await h.db.sql.reserve();
      await blocker`begin`;
      await blocker`select id from scenes where id = ${b} for update`;
      const pending = fetch(`${server.url}/v1/mutations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ clientId: 'c', mutations: batch }),
      });
      let killed = false;
      for (let i = 0; i < 200 && !killed; i++) {
        const rows = await h.db.sql`select pg_terminate_backend(pid) as ok from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`;
        killed = rows.length > 0;
        if (!killed) await new Promise((r) => setTimeout(r, 10));
      }
      expect(killed).toBe(true);
      await blocker`rollback`;
      blocker.release();
      const res = await pending;
      expect(res.status).toBe(500);
      expect(((await res.json()) as { code: string }).code).toBe('internal');
      const rows = await h.db.sql`select title from scenes where id in (${a}, ${b}) order by title`;
      expect(rows.map((r) => r.title)).toEqual(['a0', 'b0']);
      expect(await h.db.sql`select 1 from processed_mutations where mutation_id = ${batch[0]!.mutationId}`).toHaveLength(0);
      expect(statuses(await post(batch))).toEqual(['applied', 'applied']);
      expect(statuses(await post(batch))).toEqual(['duplicate', 'duplicate']);
      const after = await h.db.sql`select title from scenes where id in (${a}, ${b}) order by title`;
      expect(after.map((r) => r.title)).toEqual(['a1', 'b1']);
    });
  });
});
