// Auth mode: only the synced set, scoped to the caller, with a column allowlist. The policy here is a
// minimal stand-in for sync/src/server/scope (same interface): docs are visible to their owner only.
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScopePolicy } from './shapes/scope-policy';
import { openShape } from './testing/open-shape';
import { startTestSync, type TestSync } from './testing/start-test-sync';
import { waitFor } from './testing/wait-for';

let db: TestDatabase;
let sync: TestSync;

const policy: ScopePolicy = {
  scopeFor({ userId, table }) {
    if (table.schema !== 'public' || table.name !== 'docs') return null;
    return {
      columns: new Set(['id', 'owner_id', 'title']),
      filter: {
        matches: (row) => row.owner_id === userId,
        sql: '"owner_id" = $1',
        sqlParams: [userId],
        equalities: [{ column: 'owner_id', value: userId }],
      },
    };
  },
};

beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
  await db.sql`create table docs (id int primary key, owner_id text not null, title text not null, secret_note text)`;
  await db.sql`create table other (id int primary key)`;
  await db.sql`insert into docs values (1, 'alice', 'a1', 's'), (2, 'bob', 'b1', 's'), (3, 'alice', 'a2', 's')`;
  sync = await startTestSync({
    databaseUrl: db.url,
    slotName: `slot_${db.name}`,
    scope: policy,
    authenticate: async (req) => {
      const token = req.headers.get('authorization')?.replace(/^Bearer /, '');
      return token === 'alice' || token === 'bob' ? { userId: token } : null;
    },
  });
});
afterAll(async () => {
  await sync?.destroy();
  await db?.drop();
});

const as = (user: string) => ({ authorization: `Bearer ${user}` });

describe('auth mode', () => {
  it('refuses unauthenticated requests, tables outside the synced set, hidden columns and DELETE', async () => {
    expect((await fetch(`${sync.shapeUrl}?table=docs&offset=-1`)).status).toBe(401);
    expect((await fetch(`${sync.shapeUrl}?table=docs&offset=-1`, { headers: as('mallory') })).status).toBe(401);
    expect((await fetch(`${sync.shapeUrl}?table=other&offset=-1`, { headers: as('alice') })).status).toBe(400);
    expect((await fetch(`${sync.shapeUrl}?table=docs&offset=-1&columns=%22id%22,%22secret_note%22`, { headers: as('alice') })).status).toBe(400);
    const probe = await fetch(`${sync.shapeUrl}?table=docs&offset=-1&where=${encodeURIComponent("secret_note = 's'")}`, { headers: as('alice') });
    expect(probe.status).toBe(400);
    expect((await fetch(`${sync.shapeUrl}?table=docs`, { method: 'DELETE', headers: as('alice') })).status).toBe(404);
  });

  it('sends only the caller\'s rows and allowed columns, in the snapshot and live, including moves out', async () => {
    const alice = openShape({ url: sync.shapeUrl, params: { table: 'docs' }, headers: as('alice') });
    const bob = openShape({ url: sync.shapeUrl, params: { table: 'docs' }, headers: as('bob') });
    const rows = await alice.shape.rows;
    expect(rows.sort((a, b) => Number(a.id) - Number(b.id))).toEqual([
      { id: 1, owner_id: 'alice', title: 'a1' },
      { id: 3, owner_id: 'alice', title: 'a2' },
    ]);
    expect((await bob.shape.rows).map((r) => r.id)).toEqual([2]);
    await db.sql`insert into docs values (4, 'bob', 'b2', 'x'), (5, 'alice', 'a3', 'x')`;
    await db.sql`update docs set owner_id = 'bob' where id = 1`;
    await waitFor(() => (bob.shape.currentRows.length === 3 ? true : undefined));
    await waitFor(() => (alice.shape.currentRows.map((r) => r.id).sort().join() === '3,5' ? true : undefined));
    expect(alice.shape.currentRows.every((r) => r.owner_id === 'alice' && !('secret_note' in r))).toBe(true);
    alice.close();
    bob.close();
  });
});
