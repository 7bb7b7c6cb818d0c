// The scope's live predicate and its snapshot SQL must select the same rows, for every user and table,
// on the real schema; load() must publish projects and read the owner map.
import fc from 'fast-check';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { SYNCED_TABLE_NAMES } from '@storyforge/db';
import { loadTable } from '../schema/load-table';
import { compileWhere } from '../where/compile-where';
import { andSql } from '../where/sql-fragment';
import { createScopePolicy, type StoryforgeScopePolicy } from './create-scope-policy';

const uid = (n: number) => `0190a5b2-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
const [ALICE, BOB, CAROL] = [uid(0xa), uid(0xb), uid(0xc)];

let db: TestDatabase;
let sql: postgres.Sql;
let scope: StoryforgeScopePolicy;

async function textRows(table: string): Promise<Array<Record<string, string | null>>> {
  // Raw text protocol = the text form pgoutput and the snapshot give.
  const result = await sql.unsafe(`select * from "${table}"`).raw();
  const names = result.columns.map((c) => c.name);
  return result.map((values) => Object.fromEntries(names.map((n, i) => [n, values[i] == null ? null : Buffer.from(values[i] as Uint8Array).toString('utf8')])));
}

beforeAll(async () => {
  db = await createTestDatabase();
  sql = postgres(db.url, { max: 2, onnotice: () => {}, connection: { TimeZone: 'UTC', DateStyle: 'ISO' } });
  await sql.unsafe(`
    insert into users (id, email) values ('${ALICE}', 'alice@x'), ('${BOB}', 'bob@x'), ('${CAROL}', 'carol@x');
    insert into projects (id, user_id, title) values ('${uid(101)}', '${ALICE}', 'A1'), ('${uid(102)}', '${ALICE}', 'A2'), ('${uid(201)}', '${BOB}', 'B1');
    insert into scenes (id, project_id, position, title) values
      ('${uid(1011)}', '${uid(101)}', 'a0', 'Alpha'), ('${uid(1012)}', '${uid(101)}', 'a1', 'Beta'),
      ('${uid(1021)}', '${uid(102)}', 'a0', 'Gamma'), ('${uid(2011)}', '${uid(201)}', 'a0', 'Alpha');
    insert into characters (id, project_id, name) values ('${uid(3011)}', '${uid(101)}', 'Ann'), ('${uid(3021)}', '${uid(201)}', 'Ben');
    insert into scene_versions (id, scene_id, project_id, version_number) values
      ('${uid(4011)}', '${uid(1011)}', '${uid(101)}', 1), ('${uid(4021)}', '${uid(2011)}', '${uid(201)}', 1);
    insert into brains (id, user_id, name, is_public) values
      ('${uid(5001)}', '${ALICE}', 'mine', false), ('${uid(5002)}', '${BOB}', 'bob public', true), ('${uid(5003)}', '${BOB}', 'bob private', false);
    insert into format_templates (id, creator_id, name, beats, is_public) values
      ('${uid(6001)}', null, 'built-in', '[]', false), ('${uid(6002)}', '${BOB}', 'bob public', '[]', true),
      ('${uid(6003)}', '${BOB}', 'bob private', '[]', false), ('${uid(6004)}', '${ALICE}', 'alice private', '[]', false);
    create publication scope_test_pub;
  `);
  scope = createScopePolicy();
  await scope.load(sql, { publicationName: 'scope_test_pub' });
});

afterAll(async () => {
  await sql?.end({ timeout: 1 });
  await db?.drop();
});

describe('scope policy on the real schema', () => {
  it('load() publishes projects with REPLICA IDENTITY FULL and reads every owner', async () => {
    const [pub] = await sql`select count(*)::int as n from pg_publication_tables where pubname = 'scope_test_pub' and tablename = 'projects'`;
    expect(pub?.n).toBe(1);
    const [rel] = await sql`select relreplident::text as r from pg_class where oid = 'projects'::regclass`;
    expect(rel?.r).toBe('f');
    expect(scope.owners.size).toBe(3);
    expect(scope.owners.ownerOf(uid(201))).toBe(BOB);
  });

  it.each(SYNCED_TABLE_NAMES)('%s: the live predicate and the snapshot SQL select the same rows for every user', async (table) => {
    const rows = await textRows(table);
    for (const user of [ALICE, BOB, CAROL]) {
      const s = scope.forUser(user, table);
      const viaSql = await sql.unsafe<Array<{ id: string }>>(`select id::text as id from "${table}" where ${s.sql} order by id`, s.sqlParams as string[]);
      const live = rows.filter((r) => s.matches(r)).map((r) => r.id).sort();
      expect({ table, user, ids: live }).toEqual({ table, user, ids: viaSql.map((r) => r.id) });
    }
  });

  it('never lets a user see another user’s private rows', async () => {
    const visible = async (user: string, table: string) => {
      const s = scope.forUser(user, table);
      return (await textRows(table)).filter((r) => s.matches(r));
    };
    expect((await visible(CAROL, 'projects')).length).toBe(0);
    expect((await visible(CAROL, 'scenes')).length).toBe(0);
    expect((await visible(ALICE, 'scenes')).map((r) => r.project_id)).not.toContain(uid(201));
    expect((await visible(ALICE, 'users')).map((r) => r.email)).toEqual(['alice@x']);
    expect((await visible(ALICE, 'brains')).map((r) => r.name).sort()).toEqual(['bob public', 'mine']);
    expect((await visible(ALICE, 'format_templates')).map((r) => r.name).sort()).toEqual(['alice private', 'bob public', 'built-in']);
  });

  it('combines with a client where (andSql) in SQL exactly as in the live matcher', async () => {
    const table = await loadTable(sql, { schema: 'public', name: 'scenes' });
    const where = compileWhere({ where: `title = $1 or position > 'a0'`, params: { '1': 'Alpha' }, columns: table.columns });
    const s = scope.forUser(ALICE, 'scenes');
    const both = andSql([where, s]);
    const viaSql = await sql.unsafe<Array<{ id: string }>>(`select id::text as id from scenes where ${both.sql} order by id`, both.sqlParams as string[]);
    const live = (await textRows('scenes')).filter((r) => where.matches(r) && s.matches(r)).map((r) => r.id).sort();
    expect(viaSql.map((r) => r.id)).toEqual(live);
    expect(live).toEqual([uid(1011), uid(1012)]);
  });

  it('a project created after load is scoped once its change is observed', async () => {
    await sql.unsafe(`insert into projects (id, user_id, title) values ('${uid(301)}', '${CAROL}', 'C1');
                      insert into scenes (id, project_id, position) values ('${uid(3012)}', '${uid(301)}', 'a0')`);
    const scene = (await textRows('scenes')).find((r) => r.id === uid(3012));
    expect(scene).toBeDefined();
    const carol = scope.forUser(CAROL, 'scenes');
    expect(carol.matches(scene ?? {})).toBe(false);
    const [project] = await textRows('projects').then((rs) => rs.filter((r) => r.id === uid(301)));
    scope.observe({ schema: 'public', table: 'projects', operation: 'insert', newRow: project ?? null, oldRow: null });
    expect(carol.matches(scene ?? {})).toBe(true);
    expect(scope.forUser(ALICE, 'scenes').matches(scene ?? {})).toBe(false);
  });

  it('random ownership graphs: live predicate = snapshot SQL for every user and table', async () => {
    const users = [uid(0xa1), uid(0xb1), uid(0xc1)];
    const graph = fc.record({
      projects: fc.array(fc.nat(2), { minLength: 1, maxLength: 5 }), // owner index per project
      scenes: fc.array(fc.nat(4), { maxLength: 8 }), // project index per scene (mod #projects)
      brains: fc.array(fc.tuple(fc.nat(2), fc.boolean()), { maxLength: 5 }),
      templates: fc.array(fc.tuple(fc.option(fc.nat(2)), fc.boolean()), { maxLength: 5 }),
    });
    await fc.assert(
      fc.asyncProperty(graph, async (g) => {
        await sql.unsafe(`delete from format_templates where name like 'r-%'; delete from users where email like 'r-%'`);
        const values: string[] = [];
        values.push(`insert into users (id, email) values ${users.map((u, i) => `('${u}', 'r-${i}')`).join(', ')}`);
        const pid = (i: number) => uid(0x10000 + i);
        values.push(`insert into projects (id, user_id, title) values ${g.projects.map((o, i) => `('${pid(i)}', '${users[o]}', 'r')`).join(', ')}`);
        if (g.scenes.length > 0) {
          values.push(`insert into scenes (id, project_id, position) values ${g.scenes.map((p, i) => `('${uid(0x20000 + i)}', '${pid(p % g.projects.length)}', 'a${i}')`).join(', ')}`);
        }
        if (g.brains.length > 0) {
          values.push(`insert into brains (id, user_id, name, is_public) values ${g.brains.map(([o, pub], i) => `('${uid(0x30000 + i)}', '${users[o]}', 'r', ${pub})`).join(', ')}`);
        }
        if (g.templates.length > 0) {
          values.push(`insert into format_templates (id, creator_id, name, beats, is_public) values ${g.templates.map(([o, pub], i) => `('${uid(0x40000 + i)}', ${o === null ? 'null' : `'${users[o]}'`}, 'r-${i}', '[]', ${pub})`).join(', ')}`);
        }
        await sql.unsafe(values.join(';\n'));
        const fresh = createScopePolicy();
        await fresh.load(sql);
        for (const table of ['projects', 'scenes', 'brains', 'format_templates', 'users']) {
          const rows = await textRows(table);
          for (const user of users) {
            const s = fresh.forUser(user, table);
            const viaSql = await sql.unsafe<Array<{ id: string }>>(`select id::text as id from "${table}" where ${s.sql} order by id`, s.sqlParams as string[]);
            expect({ table, user, ids: rows.filter((r) => s.matches(r)).map((r) => r.id).sort() }).toEqual({ table, user, ids: viaSql.map((r) => r.id) });
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});
