// Auth mode: only the synced set, scoped to the caller, with a column allowlist. The policy here is a
// minimal stand-in for sync/src/server/scope (same interface): docs are visible to their owner only.
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableInfo } from './schema/load-table';
import { quoteIdent } from './schema/table-name';
import type { ScopePolicy } from './shapes/scope-policy';
import { collectMessages } from './testing/collect-messages';
import { openShape } from './testing/open-shape';
import { startTestSync, type TestSync } from './testing/start-test-sync';
import { waitFor } from './testing/wait-for';
import { compileWhere } from './where/compile-where';

let db: TestDatabase;
let sync: TestSync;

// Scope filters come from the where compiler, like the real policy's fragments: they render at any
// placeholder offset (sqlAt), which matters once a client where with its own params comes first.
const ownedBy = (column: string, userId: string, table: TableInfo) =>
  compileWhere({ where: `${quoteIdent(column)} = $1`, params: { '1': userId }, columns: table.columns });

const policy: ScopePolicy = {
  scopeFor({ userId, table }) {
    if (table.schema !== 'public') return null;
    // `summary` does not exist yet: a test adds it and expects select-all shapes to pick it up.
    if (table.name === 'docs') return { columns: new Set(['id', 'owner_id', 'title', 'summary']), filter: ownedBy('owner_id', userId, table) };
    if (table.name === 'ledger') return { filter: ownedBy('owner$1', userId, table) };
    return null;
  },
};

beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
  await db.sql`create table docs (id int primary key, owner_id text not null, title text not null, secret_note text)`;
  await db.sql`create table other (id int primary key)`;
  await db.sql`create table ledger (id int primary key, "owner$1" text not null, "n$2" int not null)`;
  await db.sql`insert into ledger values (1, 'alice', 1), (2, 'alice', 5), (3, 'bob', 5)`;
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

  it('combines a client where with params and a scope on columns named with $<digit>', async () => {
    const alice = openShape({ url: sync.shapeUrl, params: { table: 'ledger', where: '"n$2" > $1', params: ['1'] }, headers: as('alice') });
    expect((await alice.shape.rows).map((r) => r.id)).toEqual([2]);
    await db.sql`insert into ledger values (4, 'alice', 9), (5, 'bob', 9), (6, 'alice', 0)`;
    await waitFor(() => (alice.shape.currentRows.map((r) => r.id).sort().join() === '2,4' ? true : undefined));
    alice.close();
  });

  it('a column added outside the allowlist neither rotates the shape nor is sent; an allowlisted one rotates it', async () => {
    const c = collectMessages({ url: sync.shapeUrl, params: { table: 'docs' }, headers: as('alice') });
    await waitFor(() => (c.upToDateCount() > 0 ? true : undefined));
    const handle = c.stream.shapeHandle;
    await db.sql`alter table docs add column private_note text default 'hidden'`;
    await db.sql`insert into docs values (6, 'alice', 'a4', 'x', 'hidden too')`;
    const six = await waitFor(() => c.changes.find((m) => m.value.id === 6));
    expect(six.value).toEqual({ id: 6, owner_id: 'alice', title: 'a4' });
    expect(c.all.some((m) => m.headers.control === 'must-refetch')).toBe(false);
    expect(c.stream.shapeHandle).toBe(handle);

    await db.sql`alter table docs add column summary text not null default 'none'`;
    await db.sql`insert into docs values (7, 'alice', 'a5', 'x', 'hidden', 'short')`;
    const refetchAt = await waitFor(() => {
      const i = c.all.findIndex((m) => m.headers.control === 'must-refetch');
      return i < 0 ? undefined : i;
    });
    await waitFor(() => (c.all.slice(refetchAt).some((m) => 'value' in m && m.value.id === 7) ? true : undefined));
    expect(c.stream.shapeHandle).not.toBe(handle);
    const rows = c.all.slice(refetchAt).flatMap((m) => ('value' in m ? [m.value] : []));
    expect(rows.find((r) => r.id === 7)).toEqual({ id: 7, owner_id: 'alice', title: 'a5', summary: 'short' });
    expect(rows.find((r) => r.id === 3)).toEqual({ id: 3, owner_id: 'alice', title: 'a2', summary: 'none' });
    expect(rows.every((r) => r.owner_id === 'alice' && !('secret_note' in r) && !('private_note' in r))).toBe(true);
    c.close();
  });
});
