// The key correctness test of the where compiler: for random rows and random where clauses, the live
// matcher agrees with Postgres evaluating (a) our rebuilt SQL and (b) the client's original text — so both
// our semantics (types, NULLs, collation) and our reading of the text (precedence) are Postgres's.
import fc from 'fast-check';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import type { ColumnInfo } from '../schema/column-info';
import { compileWhere, type CompiledWhere } from './compile-where';
import { WhereError } from './where-error';
import { renderSpec, rowSpec, whereSpec } from './testing/where-arbitrary';
import { createTestTable, insertRows, loadColumns, readTextRows, TEST_TABLE } from './testing/where-test-table';

let db: TestDatabase;
let sql: postgres.Sql;
let columns: Map<string, ColumnInfo>;
let rows: Array<Record<string, string | null>>;

beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
  // The session settings the core pins on its snapshot/replication connections (PROTOCOL.md).
  sql = postgres(db.url, {
    max: 1,
    onnotice: () => {},
    connection: { TimeZone: 'UTC', DateStyle: 'ISO', extra_float_digits: 1 },
    // The raw where's params are typed by Postgres (timestamptz, bool…); send the client's strings as they
    // are, as Electric's server does, instead of postgres.js's Date/boolean serialisers.
    types: {
      date: { to: 1184, from: [1082, 1114, 1184], serialize: (x: unknown) => String(x), parse: (x: string) => x },
      boolean: { to: 16, from: [16], serialize: (x: unknown) => String(x), parse: (x: string) => x === 't' },
    },
  });
  await createTestTable(sql);
  const generated = fc.sample(rowSpec, { numRuns: 150, seed: 42 });
  // Plus one all-NULL row and one row of each pool's first value.
  await insertRows(sql, [...generated, {}, Object.fromEntries([...Object.keys(generated[0] ?? {})].map((k) => [k, generated[0]?.[k] ?? null]))]);
  rows = await readTextRows(sql);
  columns = await loadColumns(sql, TEST_TABLE);
});

afterAll(async () => {
  await sql?.end({ timeout: 1 });
  await db?.drop();
});

describe('compileWhere against Postgres', () => {
  it('matches(row) = Postgres on our SQL = Postgres on the original text, for random where clauses', async () => {
    await fc.assert(
      fc.asyncProperty(whereSpec, async (spec) => {
        const { where, params, paramList } = renderSpec(spec);
        let compiled: CompiledWhere;
        try {
          compiled = compileWhere({ where, params, columns });
        } catch (error) {
          // A value we refuse (out of range, bad syntax for the type) must be one Postgres refuses too.
          if (!(error instanceof WhereError) || (error.code !== 'where_param' && error.code !== 'where_type')) throw error;
          const pg = await sql.unsafe(`select (${where}) is true from ${TEST_TABLE}`, paramList).then(() => 'accepted', () => 'refused');
          expect({ where, params, error: error.message, pg }).toEqual({ where, params, error: error.message, pg: 'refused' });
          return;
        }
        const ours = `(${compiled.sqlAt(paramList.length + 1)}) is true`;
        const result = await sql.unsafe<Array<{ raw: boolean; rebuilt: boolean }>>(
          `select (${where}) is true as raw, ${ours} as rebuilt from ${TEST_TABLE} order by id`,
          [...paramList, ...compiled.sqlParams] as postgres.ParameterOrJSON<never>[],
        );
        const live = rows.map((row) => compiled.matches(row));
        const disagreements = rows
          .map((row, i) => ({ row, raw: result[i]?.raw, rebuilt: result[i]?.rebuilt, live: live[i] }))
          .filter((d) => d.raw !== d.rebuilt || d.raw !== d.live)
          .slice(0, 3);
        expect({ where, params, sql: compiled.sql, sqlParams: compiled.sqlParams, disagreements }).toEqual({
          where,
          params,
          sql: compiled.sql,
          sqlParams: compiled.sqlParams,
          disagreements: [],
        });
        // Routing keys are necessary conditions, in the exact text form rows carry.
        rows.forEach((row, i) => {
          if (!live[i]) return;
          for (const { column, value } of compiled.equalities) expect({ where, column, value: row[column] }).toEqual({ where, column, value });
        });
      }),
      { numRuns: Number(process.env.WHERE_PROPERTY_RUNS ?? 400) },
    );
  }, 300_000);
});
