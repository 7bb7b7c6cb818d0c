import { describe, expect, it } from 'vitest';
import type { ColumnInfo } from '../schema/column-info';
import { compileWhere } from '../where/compile-where';
import { andFilters, MATCH_ALL } from './row-filter';

const column = (name: string, typeName: string): [string, ColumnInfo] => [
  name,
  { name, typeName, typeOid: 0, dims: 0, notNull: false, typeMod: -1, category: typeName === 'text' ? 'S' : 'N' },
];
const columns = new Map([column('id', 'int4'), column('n$2', 'int4'), column('owner$1', 'text'), column('note', 'text')]);
const where = (text: string, params: Record<string, string> = {}) => compileWhere({ where: text, params, columns });

describe('andFilters', () => {
  // Regression: the scope's placeholders used to be renumbered with a regex over its SQL text, which also
  // rewrote `"owner$1"` into `"owner$2"` (a column that does not exist).
  it('renders the second filter at its offset without touching quoted identifiers that contain $<digit>', () => {
    const client = where(`"n$2" > $1`, { '1': '5' });
    const scope = where(`"owner$1" = $1`, { '1': 'alice' });
    const both = andFilters(client, scope);
    expect(both.sql).toBe(`(("n$2" > $1::text::"int4")) and (("owner$1" = $2::text::"text"))`);
    expect(both.sqlParams).toEqual(['5', 'alice']);
    expect(both.sqlAt(4)).toBe(`(("n$2" > $4::text::"int4")) and (("owner$1" = $5::text::"text"))`);
    expect(both.matches({ 'n$2': '6', 'owner$1': 'alice' })).toBe(true);
    expect(both.matches({ 'n$2': '6', 'owner$1': 'bob' })).toBe(false);
    expect([...(both.referencedColumns ?? [])].sort()).toEqual(['n$2', 'owner$1']);
    expect(both.equalities).toEqual([{ column: 'owner$1', value: 'alice' }]);
  });

  it('keeps numbering consecutive when combined again; a literal containing $1 stays a bound value', () => {
    const a = where(`note = $1 or note is null`, { '1': 'x' });
    const b = where(`"owner$1" = 'it''s $1'`);
    const c = where(`id in ($1, $2)`, { '1': '1', '2': '2' });
    const abc = andFilters(andFilters(a, b), c);
    expect(abc.sqlParams).toEqual(['x', "it's $1", '1', '2']);
    expect(abc.sql).toBe(
      `(((("note" = $1::text::"text") OR ("note" IS NULL))) and (("owner$1" = $2::text::"text"))) and (("id" IN ($3::text::"int4", $4::text::"int4")))`,
    );
  });

  it('MATCH_ALL is the identity and an unknown referenced-column set stays unknown', () => {
    const a = where('id = 1');
    expect(andFilters(MATCH_ALL, a)).toBe(a);
    expect(andFilters(a, MATCH_ALL)).toBe(a);
    const opaque = { matches: () => true, sql: 'TRUE', sqlParams: [], sqlAt: () => 'TRUE', equalities: [] };
    expect(andFilters(a, opaque).referencedColumns).toBeUndefined();
  });
});
