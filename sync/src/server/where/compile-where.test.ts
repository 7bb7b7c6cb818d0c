import { describe, expect, it } from 'vitest';
import type { ColumnInfo } from '../schema/column-info';
import { compileWhere } from './compile-where';
import { andSql } from './sql-fragment';
import { WhereError, type WhereErrorCode } from './where-error';

const column = (name: string, typeName: string, extra: Partial<ColumnInfo> = {}): [string, ColumnInfo] => [
  name,
  { name, typeName, typeOid: 0, dims: 0, notNull: false, typeMod: -1, category: typeName === 'mood' ? 'E' : 'X', ...extra },
];
const columns = new Map([
  column('id', 'uuid'),
  column('project_id', 'uuid'),
  column('title', 'text'),
  column('n', 'int4'),
  column('price', 'numeric'),
  column('done', 'bool'),
  column('at', 'timestamptz'),
  column('tags', 'text', { dims: 1 }),
  column('meta', 'jsonb'),
  column('mood', 'mood'),
  column('Odd "Name"', 'int8'),
]);
const compile = (where: string, params: Record<string, string> = {}) => compileWhere({ where, params, columns });
const errorOf = (where: string, params: Record<string, string> = {}): { code: WhereErrorCode; message: string } => {
  try {
    compile(where, params);
  } catch (e) {
    if (e instanceof WhereError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error(`accepted: ${where}`);
};

describe('compileWhere: the safe subset', () => {
  it.each<[string, WhereErrorCode]>([
    ['lower(title) = $1', 'where_unsupported'],
    ['n = (select 1)', 'where_unsupported'],
    ['exists (select 1 from users)', 'where_unsupported'],
    ['scenes.n = 1', 'where_unsupported'],
    ['n = 1; drop table scenes', 'where_syntax'],
    ['n = 1 union select 1', 'where_syntax'],
    ['secret = 1', 'where_unknown_column'],
    ['"N" = 1', 'where_unknown_column'],
    ['n = $2', 'where_param'],
    ['n = $0', 'where_param'],
    ['n = current_user', 'where_unsupported'],
    ['n + 1 = 2', 'where_unsupported'],
    ['title ~ $1', 'where_unsupported'],
    ['meta->>\'a\' = \'b\'', 'where_unsupported'],
    ['tags = \'{a}\'', 'where_type'],
    ['meta = \'{}\'', 'where_type'],
    ['title = 1', 'where_type'],
    ['n = \'abc\'', 'where_type'],
    ['n = \'99999999999\'', 'where_type'],
    ['id = \'not-a-uuid\'', 'where_type'],
    ['at > \'yesterday\'', 'where_type'],
    ['mood < \'ok\'', 'where_type'],
    ['n like \'1%\'', 'where_type'],
    ['title like \'abc\\\'', 'where_type'],
    ['n', 'where_type'],
    ['n = id', 'where_type'],
    ['1 = 1', 'where_unsupported'],
    ['n = \'1\'::text', 'where_type'],
    ['title = \'x\'::varchar(1)', 'where_unsupported'],
    ['', 'where_syntax'],
    ['n = 1 is true', 'where_unsupported'],
  ])('refuses %s (%s)', (where, code) => {
    expect(errorOf(where, { '1': 'x' }).code).toBe(code);
  });

  it('reports a bad param value under params[n] with Electric’s 400 body', () => {
    try {
      compile('n = $1', { '1': '1.5' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(WhereError);
      const err = e as WhereError;
      expect(err.status).toBe(400);
      expect(err.code).toBe('where_param');
      expect(err.toResponseBody()).toEqual({ message: 'Invalid request', errors: { where: [expect.stringContaining('params[1]')] } });
    }
  });

  it('refuses oversized and over-complex clauses before doing real work', () => {
    expect(errorOf(`n = ${'1'.repeat(4_097)}`).code).toBe('where_unsupported');
    expect(errorOf(`${'('.repeat(33)}n = 1${')'.repeat(33)}`).code).toBe('where_unsupported');
    // Parentheses inside literals do not count.
    expect(compile(`${'('.repeat(32)}title = ')((('${')'.repeat(32)}`).sqlParams).toEqual([')(((']);
    expect(errorOf(Array.from({ length: 600 }, (_, i) => `n = ${i}`).join(' or ')).code).toBe('where_unsupported');
  });

  it('rebuilds SQL from the tree: quoted identifiers, placeholders, casts; never the client text', () => {
    const w = compile(`project_id = $1 and "Odd ""Name""" >= 2 and title like 'it''s%'`, { '1': '0190A5B2-0000-7000-8000-000000000001' });
    expect(w.sql).toBe(`((("project_id" = $1::text::"uuid") AND ("Odd ""Name""" >= $2::text::"int4")) AND ("title" LIKE $3::text::"text"))`);
    expect(w.sqlParams).toEqual(['0190a5b2-0000-7000-8000-000000000001', '2', "it's%"]);
    expect(w.sqlAt(5)).toContain('$5::text::"uuid"');
    expect(w.equalities).toEqual([{ column: 'project_id', value: '0190a5b2-0000-7000-8000-000000000001' }]);
    expect([...w.referencedColumns].sort()).toEqual(['Odd "Name"', 'project_id', 'title']);
  });

  it('pins text ordering to the C collation in SQL', () => {
    expect(compile(`title < 'b'`).sql).toBe(`("title" COLLATE "C" < $1::text::"text")`);
  });

  it('routing keys: only AND-ed equalities on canonical types', () => {
    expect(compile(`n = 1 and done and price = 1.0`).equalities).toEqual([
      { column: 'n', value: '1' },
      { column: 'done', value: 't' },
    ]);
    expect(compile(`n = 1 or n = 2`).equalities).toEqual([]);
    expect(compile(`n in (1, 2)`).equalities).toEqual([]);
    expect(compile(`not (n = 1)`).equalities).toEqual([]);
    expect(compile(`n = '007'`).equalities).toEqual([{ column: 'n', value: '7' }]);
  });

  it('evaluates with three-valued logic on text rows', () => {
    const w = compile(`n <> 1`);
    expect(w.matches({ n: '2' })).toBe(true);
    expect(w.matches({ n: null })).toBe(false);
    expect(compile(`not (n <> 1)`).matches({ n: null })).toBe(false);
    expect(compile(`n not in (1, null)`).matches({ n: '2' })).toBe(false);
    expect(compile(`n in (1, null)`).matches({ n: '1' })).toBe(true);
    expect(compile(`(n = 1) is not true`).matches({ n: null })).toBe(true);
    expect(compile(`n is null or n > 5`).matches({})).toBe(true);
  });

  it('compares by type, not by text', () => {
    expect(compile(`n > 9`).matches({ n: '10' })).toBe(true);
    expect(compile(`price = 1.5`).matches({ price: '1.50' })).toBe(true);
    expect(compile(`at > '2024-01-01T00:00:00Z'`).matches({ at: '2024-01-01 00:30:00+00' })).toBe(true);
    expect(compile(`at = '2024-01-01 01:00:00+01'`).matches({ at: '2024-01-01 00:00:00+00' })).toBe(true);
    expect(compile(`id = '{0190A5B2-0000-7000-8000-000000000001}'`).matches({ id: '0190a5b2-0000-7000-8000-000000000001' })).toBe(true);
    expect(compile(`done = 'yes'`).matches({ done: 't' })).toBe(true);
    expect(compile(`mood = 'ok'`).matches({ mood: 'ok' })).toBe(true);
    // Code point order: 'Z' < 'a' < 'é' < '😀' (C collation), not a linguistic one.
    expect(compile(`title > 'Z'`).matches({ title: 'a' })).toBe(true);
    expect(compile(`title < '😀'`).matches({ title: '\uffff' })).toBe(true);
    expect(compile(`title ilike 'É%'`).matches({ title: 'école' })).toBe(true);
  });

  it('LIKE patterns are bounded in length', () => {
    expect(errorOf(`title like $1`, { '1': 'a'.repeat(257) }).code).toBe('where_param');
    expect(compile(`title like $1`, { '1': 'a'.repeat(256) }).matches({ title: 'a'.repeat(256) })).toBe(true);
  });

  it('LIKE patterns cannot blow up (no regex backtracking)', () => {
    const w = compile(`title like $1`, { '1': `${'%a'.repeat(30)}b` });
    const started = performance.now();
    expect(w.matches({ title: 'a'.repeat(5000) })).toBe(false);
    // Generous bound: a backtracking regex takes minutes here, the matcher milliseconds.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('andSql renumbers fragments without touching identifiers that contain $', () => {
    const a = compileWhere({ where: `"a$1" = $1`, params: { '1': '5' }, columns: new Map([column('a$1', 'int4')]) });
    const b = compile(`n = $1`, { '1': '7' });
    expect(andSql([a, b])).toEqual({ sql: '(("a$1" = $1::text::"int4")) AND (("n" = $2::text::"int4"))', sqlParams: ['5', '7'] });
  });
});
