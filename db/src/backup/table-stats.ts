import type postgres from 'postgres';
import { quoteIdent } from './database-url';

/** Row count and content checksum of one table, the unit a backup is verified by. */
export interface TableStats {
  /** `table` for schema public, `schema.table` otherwise. */
  table: string;
  rows: number;
  /** md5 over the md5 of every row's text form, in primary-key order (see tableStats). */
  checksum: string;
}

interface TableRef {
  schema: string;
  table: string;
  pk: string[];
}

/**
 * Settings that make a row's text form independent of the session: the same data gives the same
 * text, so a checksum taken at dump time matches the one of a restored copy.
 */
const STABLE_TEXT_SETTINGS = [
  "set local timezone = 'UTC'",
  "set local datestyle = 'ISO, YMD'",
  "set local intervalstyle = 'postgres'",
  'set local extra_float_digits = 1',
  "set local bytea_output = 'hex'",
];

/** Every ordinary or partitioned table outside the system schemas, with its primary key columns. */
async function listTables(sql: postgres.Sql | postgres.TransactionSql): Promise<TableRef[]> {
  const rows = await sql<{ schema: string; table: string; pk: string[] | null }[]>`
    select n.nspname as schema, c.relname as table,
      (select array_agg(a.attname order by k.ord)
         from pg_index i
         cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
         join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
        where i.indrelid = c.oid and i.indisprimary) as pk
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and not c.relispartition
      and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\_%'
    order by n.nspname, c.relname`;
  return rows.map((r) => ({ schema: r.schema, table: r.table, pk: r.pk ?? [] }));
}

/**
 * Row count and checksum of every user table, read in the caller's transaction (pass the
 * repeatable-read transaction a dump runs in, so both see the same snapshot).
 *
 * Checksum = md5(string_agg(md5(row::text) ORDER BY primary key)). Hashing each row first keeps the
 * aggregate small (32 bytes a row, not the row: a 512-d vector is ~5 KB of text), and ordering by the
 * primary key uses its index instead of sorting text. Tables without a primary key are ordered by the
 * row hash, which is just as deterministic.
 */
export async function tableStats(tx: postgres.TransactionSql): Promise<TableStats[]> {
  for (const statement of STABLE_TEXT_SETTINGS) await tx.unsafe(statement);
  const tables = await listTables(tx);
  const result: TableStats[] = [];
  for (const ref of tables) {
    const name = `${quoteIdent(ref.schema)}.${quoteIdent(ref.table)}`;
    const order = ref.pk.length > 0 ? ref.pk.map((c) => `t.${quoteIdent(c)}`).join(', ') : 'md5(t::text)';
    const [row] = await tx.unsafe<{ rows: string; checksum: string }[]>(
      `select count(*)::text as rows, md5(coalesce(string_agg(md5(t::text), '' order by ${order}), '')) as checksum
       from ${name} t`,
    );
    result.push({
      table: ref.schema === 'public' ? ref.table : `${ref.schema}.${ref.table}`,
      rows: Number(row?.rows ?? 0),
      checksum: row?.checksum ?? '',
    });
  }
  return result;
}

/** Reads table stats of a whole database in one repeatable-read, read-only transaction. */
export async function databaseStats(sql: postgres.Sql): Promise<TableStats[]> {
  return (await sql.begin('isolation level repeatable read read only', (tx) => tableStats(tx))) as TableStats[];
}

export interface StatsDifference {
  table: string;
  expected: { rows: number; checksum: string } | null;
  actual: { rows: number; checksum: string } | null;
}

/** The tables whose count or checksum differ, or that exist on one side only. */
export function compareStats(expected: readonly TableStats[], actual: readonly TableStats[]): StatsDifference[] {
  const byName = new Map(actual.map((s) => [s.table, s]));
  const diffs: StatsDifference[] = [];
  for (const e of expected) {
    const a = byName.get(e.table);
    byName.delete(e.table);
    if (a === undefined) diffs.push({ table: e.table, expected: pick(e), actual: null });
    else if (a.rows !== e.rows || a.checksum !== e.checksum) diffs.push({ table: e.table, expected: pick(e), actual: pick(a) });
  }
  for (const a of byName.values()) diffs.push({ table: a.table, expected: null, actual: pick(a) });
  return diffs;
}

function pick(s: TableStats): { rows: number; checksum: string } {
  return { rows: s.rows, checksum: s.checksum };
}

/** A fixed-width text table of stats (and their comparison) for the command line. */
export function formatStatsTable(expected: readonly TableStats[], actual?: readonly TableStats[]): string[] {
  const byName = new Map((actual ?? []).map((s) => [s.table, s]));
  const width = Math.max(5, ...expected.map((s) => s.table.length));
  const lines = [`${'table'.padEnd(width)}  ${'rows'.padStart(9)}  checksum${actual ? '                          result' : ''}`];
  for (const e of expected) {
    const a = byName.get(e.table);
    const verdict = actual === undefined ? '' : a === undefined ? '  MISSING' : a.rows === e.rows && a.checksum === e.checksum ? '  ok' : `  DIFFERS (${a.rows} rows, ${a.checksum})`;
    lines.push(`${e.table.padEnd(width)}  ${String(e.rows).padStart(9)}  ${e.checksum}${verdict}`);
  }
  return lines;
}
