// Test support for the where compiler's property test: a table with one column per supported type, value
// pools with the edge cases that matter (NaN, ±Infinity, -0, extremes, BC dates, padding, astral chars),
// and a catalog reader that builds the ColumnInfo map the way the core does.
import type postgres from 'postgres';
import type { ColumnInfo } from '../../schema/column-info';

export type ColumnKind = 'int' | 'numeric' | 'float' | 'text' | 'bpchar' | 'bool' | 'uuid' | 'tstz' | 'ts' | 'date' | 'enum' | 'json';

export interface TestColumn {
  name: string;
  sqlType: string;
  kind: ColumnKind;
  /** Text values rows are built from (Postgres input syntax). */
  pool: readonly string[];
}

const UUIDS = [
  '00000000-0000-0000-0000-000000000000',
  '0190a5b2-7c3d-7def-8abc-0123456789ab',
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
];
export const TEXT_POOL = ['', 'a', 'A', 'ab', 'b', 'B', 'é', 'É', 'a%', 'a_b', 'a\\b', ' a', 'a ', '日本', '😀', '\uE000', 'z', "it's", 'abc'];

export const TEST_COLUMNS: readonly TestColumn[] = [
  { name: 'i4', sqlType: 'int4', kind: 'int', pool: ['0', '1', '-1', '2', '3', '5', '-5', '2147483647', '-2147483648'] },
  { name: 'i8', sqlType: 'int8', kind: 'int', pool: ['0', '1', '-1', '3', '4294967296', '9223372036854775807', '-9223372036854775808'] },
  { name: 'i2', sqlType: 'int2', kind: 'int', pool: ['0', '1', '-2', '3', '32767', '-32768'] },
  { name: 'num', sqlType: 'numeric', kind: 'numeric', pool: ['0', '1', '1.0', '1.50', '1.5', '-0.5', '2', '3', '100', 'NaN', 'Infinity', '-Infinity', '0.001', '123456789012345678901234567890.5'] },
  { name: 'f8', sqlType: 'float8', kind: 'float', pool: ['0', '-0', '1', '1.5', '0.1', '-2.25', '1e308', '1e-300', 'NaN', 'Infinity', '-Infinity', '0.30000000000000004', '3'] },
  { name: 'f4', sqlType: 'float4', kind: 'float', pool: ['0', '1', '1.1', '0.1', '-2.5', '16777216', '3.4e38', 'NaN', 'Infinity', '-Infinity', '1e-40'] },
  { name: 't', sqlType: 'text', kind: 'text', pool: TEXT_POOL },
  { name: 'vc', sqlType: 'varchar(10)', kind: 'text', pool: TEXT_POOL },
  { name: 'bp', sqlType: 'char(3)', kind: 'bpchar', pool: ['', 'a', 'ab', 'abc', ' a', 'b', 'a b'] },
  { name: 'b', sqlType: 'bool', kind: 'bool', pool: ['t', 'f'] },
  { name: 'u', sqlType: 'uuid', kind: 'uuid', pool: UUIDS },
  {
    name: 'tz',
    sqlType: 'timestamptz',
    kind: 'tstz',
    pool: ['2024-01-01 00:00:00+00', '2024-01-01 10:00:00.5+00', '2023-12-31 23:00:00+00', '2024-02-29 12:34:56.123456+00', 'infinity', '-infinity', '0044-03-15 10:00:00+00 BC', '1970-01-01 00:00:00+00'],
  },
  {
    name: 'ts',
    sqlType: 'timestamp',
    kind: 'ts',
    pool: ['2024-01-01 00:00:00', '2024-01-01 10:00:00.5', '2023-12-31 23:00:00', '2024-02-29 12:34:56.123456', 'infinity', '-infinity', '0044-03-15 10:00:00 BC'],
  },
  { name: 'd', sqlType: 'date', kind: 'date', pool: ['2024-01-01', '2024-02-29', '1970-01-01', '0001-01-01 BC', 'infinity', '-infinity', '2023-12-31'] },
  { name: 'mood', sqlType: 'mood', kind: 'enum', pool: ['sad', 'ok', 'happy'] },
  { name: 'j', sqlType: 'jsonb', kind: 'json', pool: ['{}', '[1]', '"x"'] },
  { name: 'Mixed "Col"', sqlType: 'int4', kind: 'int', pool: ['0', '1', '2'] },
];

export const TEST_TABLE = 'where_test';

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Creates the table (with an `id` serial key) and its enum type. */
export async function createTestTable(sql: postgres.Sql): Promise<void> {
  await sql.unsafe(`create type mood as enum ('sad', 'ok', 'happy')`);
  const cols = TEST_COLUMNS.map((c) => `${quote(c.name)} ${c.sqlType}`).join(', ');
  await sql.unsafe(`create table ${TEST_TABLE} (id int primary key, ${cols})`);
}

/** Inserts rows given as text values (null = SQL NULL) through json_populate_recordset (type input functions). */
export async function insertRows(sql: postgres.Sql, rows: ReadonlyArray<Record<string, string | null>>): Promise<void> {
  const withIds = rows.map((row, i) => ({ id: i + 1, ...row }));
  await sql.unsafe(`insert into ${TEST_TABLE} select * from json_populate_recordset(null::${TEST_TABLE}, $1::text::json)`, [JSON.stringify(withIds)]);
}

/** Reads every row back as Postgres text output (raw text protocol), keyed by column name, ordered by id. */
export async function readTextRows(sql: postgres.Sql): Promise<Array<Record<string, string | null>>> {
  const names = TEST_COLUMNS.map((c) => c.name);
  const result = await sql.unsafe(`select ${names.map(quote).join(', ')} from ${TEST_TABLE} order by id`).raw();
  return result.map((values) => Object.fromEntries(names.map((name, i) => [name, values[i] == null ? null : Buffer.from(values[i] as Uint8Array).toString('utf8')])));
}

/** ColumnInfo from the catalog, as the core builds it (element type and dims for arrays, domains resolved). */
export async function loadColumns(sql: postgres.Sql, table: string): Promise<Map<string, ColumnInfo>> {
  const rows = await sql<Array<{ name: string; type_name: string; type_oid: number; dims: number; not_null: boolean; type_mod: number; category: string; pk_index: number | null }>>`
    select a.attname as name,
           coalesce(elem.typname, t.typname) as type_name,
           a.atttypid::int as type_oid,
           case when elem.oid is null then 0 else greatest(a.attndims, 1) end as dims,
           a.attnotnull as not_null,
           a.atttypmod as type_mod,
           coalesce(elem.typcategory, t.typcategory) as category,
           (select array_position(i.indkey::int2[], a.attnum) - 1 from pg_index i where i.indrelid = a.attrelid and i.indisprimary) as pk_index
      from pg_attribute a
      join pg_type t on t.oid = a.atttypid
      left join pg_type elem on elem.oid = t.typelem and t.typcategory = 'A'
     where a.attrelid = ${table}::regclass and a.attnum > 0 and not a.attisdropped
     order by a.attnum`;
  return new Map(
    rows.map((r) => [
      r.name,
      {
        name: r.name,
        typeName: r.type_name,
        typeOid: r.type_oid,
        dims: r.dims,
        notNull: r.not_null,
        typeMod: r.type_mod,
        category: r.category,
        ...(r.pk_index === null ? {} : { pkIndex: r.pk_index }),
      } satisfies ColumnInfo,
    ]),
  );
}
