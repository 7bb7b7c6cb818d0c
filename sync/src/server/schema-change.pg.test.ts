// Schema changes with the real client: a Relation message that changes what a shape would select (an
// added column in a select-all shape, a retyped selected column) rotates it — 409, the client refetches
// with the new schema —, an unrelated change leaves it alone, and a restart drops stored shapes whose
// schema no longer matches the catalog.
import type { Offset } from '@electric-sql/client';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectMessages, type Collector } from './testing/collect-messages';
import { startTestSync, type TestSync } from './testing/start-test-sync';
import { waitFor } from './testing/wait-for';

let db: TestDatabase;
let sync: TestSync;
const slot = () => `slot_${db.name}`;

beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
  sync = await startTestSync({ databaseUrl: db.url, slotName: slot() });
});
afterAll(async () => {
  await sync?.destroy();
  await db?.drop();
});

const upToDate = (c: Collector) => waitFor(() => (c.upToDateCount() > 0 ? true : undefined));
const refetchIndex = (c: Collector) => c.all.findIndex((m) => m.headers.control === 'must-refetch');
/** Row values the client received after its must-refetch (the new instance's snapshot and changes). */
const afterRefetch = (c: Collector) => c.all.slice(refetchIndex(c)).flatMap((m) => ('value' in m ? [m.value] : []));

describe('schema changes', () => {
  it('an added column rotates a select-all shape; the client refetches and gets rows with it', async () => {
    await db.sql`create table items (id int primary key, title text not null)`;
    await db.sql`insert into items values (1, 'one'), (2, 'two')`;
    const all = collectMessages({ url: sync.shapeUrl, params: { table: 'items' } });
    const some = collectMessages({ url: sync.shapeUrl, params: { table: 'items', columns: ['id', 'title'] } });
    await Promise.all([upToDate(all), upToDate(some)]);
    const [allHandle, someHandle] = [all.stream.shapeHandle, some.stream.shapeHandle];

    await db.sql`alter table items add column color text not null default 'red'`;
    // pgoutput sends the new definition with the table's next change: that is when shapes rotate.
    await db.sql`insert into items values (3, 'three', 'blue')`;

    await waitFor(() => (refetchIndex(all) >= 0 && afterRefetch(all).some((r) => r.id === 3) ? true : undefined));
    expect(all.stream.shapeHandle).not.toBe(allHandle);
    expect(afterRefetch(all).sort((a, b) => Number(a.id) - Number(b.id))).toEqual([
      { id: 1, title: 'one', color: 'red' },
      { id: 2, title: 'two', color: 'red' },
      { id: 3, title: 'three', color: 'blue' },
    ]);
    await db.sql`update items set color = 'green' where id = 1`;
    await waitFor(() => all.changes.find((m) => m.value.id === 1 && m.headers.operation === 'update' && m.value.color === 'green'));

    // An explicit column list does not include the new column: same handle, the insert arrives as usual.
    const three = await waitFor(() => some.changes.find((m) => m.value.id === 3));
    expect(three.value).toEqual({ id: 3, title: 'three' });
    expect(refetchIndex(some)).toBe(-1);
    expect(some.stream.shapeHandle).toBe(someHandle);
    all.close();
    some.close();
  });

  it('a retyped selected column rotates the shape; the client gets values of the new type', async () => {
    await db.sql`create table counters (id int primary key, n int not null, label text)`;
    await db.sql`insert into counters values (1, 10, 'a')`;
    const c = collectMessages({ url: sync.shapeUrl, params: { table: 'counters', columns: ['id', 'n'] } });
    await upToDate(c);
    await db.sql`alter table counters alter column n type bigint`;
    await db.sql`update counters set n = 9007199254740993 where id = 1`;
    await waitFor(() => (refetchIndex(c) >= 0 && afterRefetch(c).some((r) => r.n === 9007199254740993n) ? true : undefined));
    c.close();
  });

  it('a dropped or renamed column the shape does not read leaves it alone', async () => {
    await db.sql`create table notes (id int primary key, body text, scratch text, extra text)`;
    const c = collectMessages({ url: sync.shapeUrl, params: { table: 'notes', columns: ['id', 'body'], where: 'id > 0' } });
    await upToDate(c);
    const handle = c.stream.shapeHandle;
    await db.sql`alter table notes drop column scratch`;
    await db.sql`alter table notes rename column extra to more`;
    await db.sql`insert into notes values (1, 'kept', 'x')`;
    await waitFor(() => c.changes.find((m) => m.value.id === 1));
    expect(refetchIndex(c)).toBe(-1);
    expect(c.stream.shapeHandle).toBe(handle);
    c.close();
  });

  it('leaves out generated columns (Postgres 15 never replicates them): no rotation, no half-filled rows, 400 when asked for', async () => {
    await db.sql`create table priced (id int primary key, net int not null, gross int not null generated always as (net * 2) stored)`;
    await db.sql`insert into priced (id, net) values (1, 10)`;
    const c = collectMessages({ url: sync.shapeUrl, params: { table: 'priced' } });
    await upToDate(c);
    const handle = c.stream.shapeHandle;
    expect(c.changes.map((m) => m.value)).toEqual([{ id: 1, net: 10 }]);
    // The Relation message sent with this insert has no `gross`: it must match the shape as built.
    await db.sql`insert into priced (id, net) values (2, 20)`;
    const two = await waitFor(() => c.changes.find((m) => m.value.id === 2));
    expect(two.value).toEqual({ id: 2, net: 20 });
    expect(refetchIndex(c)).toBe(-1);
    expect(c.stream.shapeHandle).toBe(handle);
    const asked = await fetch(`${sync.shapeUrl}?table=priced&offset=-1&columns=${encodeURIComponent('"id","gross"')}`);
    expect(asked.status).toBe(400);
    expect(JSON.stringify(await asked.json())).toContain('generated');
    c.close();
  });

  it('a restart drops stored shapes whose schema changed while the server was down, and keeps the others', async () => {
    await db.sql`create table tasks (id int primary key, title text not null)`;
    await db.sql`insert into tasks values (1, 'a')`;
    const all = collectMessages({ url: sync.shapeUrl, params: { table: 'tasks' } });
    const some = collectMessages({ url: sync.shapeUrl, params: { table: 'tasks', columns: ['id', 'title'] } });
    await Promise.all([upToDate(all), upToDate(some)]);
    const saved = [all, some].map((c) => ({ handle: c.stream.shapeHandle ?? '', offset: c.stream.lastOffset }));
    all.close();
    some.close();
    await sync.stop();
    await db.sql`alter table tasks add column done boolean not null default false`;
    await db.sql`insert into tasks values (2, 'b', true)`;
    sync = await startTestSync({ databaseUrl: db.url, slotName: slot(), dataDir: sync.dataDir });

    const [allSaved, someSaved] = saved as [{ handle: string; offset: Offset }, { handle: string; offset: Offset }];
    const gone = await fetch(`${sync.shapeUrl}?table=tasks&handle=${allSaved.handle}&offset=${allSaved.offset}`);
    expect(gone.status).toBe(409);
    const kept = collectMessages({ url: sync.shapeUrl, params: { table: 'tasks', columns: ['id', 'title'] }, handle: someSaved.handle, offset: someSaved.offset });
    const two = await waitFor(() => kept.changes.find((m) => m.value.id === 2));
    expect(two.value).toEqual({ id: 2, title: 'b' });
    expect(kept.stream.shapeHandle).toBe(someSaved.handle);
    const fresh = collectMessages({ url: sync.shapeUrl, params: { table: 'tasks' } });
    await upToDate(fresh);
    expect(fresh.changes.map((m) => m.value).sort((a, b) => Number(a.id) - Number(b.id))).toEqual([
      { id: 1, title: 'a', done: false },
      { id: 2, title: 'b', done: true },
    ]);
    kept.close();
    fresh.close();
  });
});
