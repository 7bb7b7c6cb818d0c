// The real scope policy inside the real sync service, read by the stock @electric-sql/client over HTTP, on
// the real schema: per-user rows in snapshot and live, a project and its scene created in one transaction,
// a scene moved between owners, a project deleted with its children cascading, 400s for what is outside.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { openShape } from '../testing/open-shape';
import { startTestSync, type TestSync } from '../testing/start-test-sync';
import { waitFor } from '../testing/wait-for';
import { createScopePolicy } from './create-scope-policy';

const uid = (n: number) => `0190a5b2-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
const [ALICE, BOB] = [uid(0xa), uid(0xb)];
const [PA, PB, PA2] = [uid(101), uid(201), uid(102)];

let db: TestDatabase;
let sync: TestSync;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql.unsafe(`
    insert into users (id, email) values ('${ALICE}', 'alice@x'), ('${BOB}', 'bob@x');
    insert into projects (id, user_id, title) values ('${PA}', '${ALICE}', 'A'), ('${PB}', '${BOB}', 'B');
    insert into scenes (id, project_id, position, title) values
      ('${uid(1)}', '${PA}', 'a0', 'one'), ('${uid(2)}', '${PA}', 'a1', 'two'), ('${uid(3)}', '${PB}', 'a0', 'three');`);
  const publicationName = `pub_${db.name}`;
  await db.sql.unsafe(`create publication "${publicationName}"`);
  // Self-loading: the project→owner map is read (after publishing projects) on the first scoped request.
  const scope = createScopePolicy({ sql: db.sql, publicationName });
  sync = await startTestSync({
    databaseUrl: db.url,
    slotName: `slot_${db.name}`,
    publicationName,
    scope,
    authenticate: async (req) => {
      const token = req.headers.get('authorization')?.replace(/^Bearer /, '');
      return token === ALICE || token === BOB ? { userId: token } : null;
    },
  });
});

afterAll(async () => {
  await sync?.destroy();
  await db?.drop();
});

const as = (user: string) => ({ authorization: `Bearer ${user}` });
const ids = (rows: ReadonlyArray<Record<string, unknown>>) => rows.map((r) => String(r.id)).sort();

describe('scope policy in the sync service', () => {
  it('refuses tables outside the synced set and bad where clauses with 400', async () => {
    const ledger = await fetch(`${sync.shapeUrl}?table=credit_ledger&offset=-1`, { headers: as(ALICE) });
    expect(ledger.status).toBe(400);
    const bad = await fetch(`${sync.shapeUrl}?table=scenes&offset=-1&where=${encodeURIComponent('title = (select email from users limit 1)')}`, { headers: as(ALICE) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ message: 'Invalid request', errors: { where: [expect.stringContaining('subqueries')] } });
  });

  it('users: only the caller’s own row', async () => {
    const alice = openShape({ url: sync.shapeUrl, params: { table: 'users' }, headers: as(ALICE) });
    expect((await alice.shape.rows).map((r) => r.email)).toEqual(['alice@x']);
    alice.close();
  });

  it('scenes follow project ownership in the snapshot and live (create, move, cascade delete)', async () => {
    const alice = openShape({ url: sync.shapeUrl, params: { table: 'scenes' }, headers: as(ALICE) });
    const bob = openShape({ url: sync.shapeUrl, params: { table: 'scenes' }, headers: as(BOB) });
    expect(ids(await alice.shape.rows)).toEqual([uid(1), uid(2)]);
    expect(ids(await bob.shape.rows)).toEqual([uid(3)]);

    // A project and its first scene in one transaction: the project's change is observed before routing.
    await db.sql.begin(async (tx) => {
      await tx.unsafe(`insert into projects (id, user_id, title) values ('${PA2}', '${ALICE}', 'A2')`);
      await tx.unsafe(`insert into scenes (id, project_id, position, title) values ('${uid(4)}', '${PA2}', 'a0', 'four')`);
    });
    await waitFor(() => (ids(alice.shape.currentRows).includes(uid(4)) ? true : undefined));

    // Bob's scene moves into Alice's project: a delete for Bob, an insert for Alice.
    await db.sql.unsafe(`update scenes set project_id = '${PA}' where id = '${uid(3)}'`);
    await waitFor(() => (ids(alice.shape.currentRows).includes(uid(3)) ? true : undefined));
    await waitFor(() => (bob.shape.currentRows.length === 0 ? true : undefined));

    // Deleting a project cascades to its scenes; the cascaded deletes still reach the owner.
    await db.sql.unsafe(`delete from projects where id = '${PA2}'`);
    await waitFor(() => (!ids(alice.shape.currentRows).includes(uid(4)) ? true : undefined));
    expect(ids(alice.shape.currentRows)).toEqual([uid(1), uid(2), uid(3)]);
    expect(bob.shape.currentRows).toEqual([]);
    alice.close();
    bob.close();
  });

  it('a client where with params narrows the scope, never widens it', async () => {
    const where = 'title = $1 or project_id = $2';
    const alice = openShape({ url: sync.shapeUrl, params: { table: 'scenes', where, params: ['one', PB] }, headers: as(ALICE) });
    // Bob's project is named in the where, but scope still applies: only Alice's matching row.
    expect(ids(await alice.shape.rows)).toEqual([uid(1)]);
    alice.close();
  });
});
