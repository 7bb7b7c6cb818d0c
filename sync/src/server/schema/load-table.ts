import type postgres from 'postgres';
import type { ColumnInfo } from './column-info';
import { qualifiedName, type TableName } from './table-name';
import { SyncError, invalidParam } from '../sync-error';
import { TABLE_PARAM } from '../../protocol/constants';

/** A shapeable table as read from the catalog. */
export interface TableInfo extends TableName {
  oid: number;
  /** Columns in attnum order (the order pgoutput sends them). */
  columns: ReadonlyMap<string, ColumnInfo>;
  /** Primary key column names in key order. */
  primaryKey: readonly string[];
  /** pg_class.relreplident: 'f' full, 'd' default, … */
  replicaIdentity: string;
  /**
   * Generated columns, left out of `columns`: pgoutput before Postgres 18 never sends them (neither in the
   * Relation message nor in tuples), so a shape could only serve them in its snapshot, never live.
   */
  generatedColumns?: readonly string[];
}

interface ColumnRow {
  name: string;
  type_oid: number;
  type_mod: number;
  not_null: boolean;
  att_dims: number;
  base_name: string;
  base_category: string;
  elem_name: string | null;
  elem_category: string | null;
  pk_pos: number | null;
  generated: boolean;
}

/** Reads a table's columns and primary key; unknown table → 400, no primary key → 400. */
export async function loadTable(sql: postgres.Sql, table: TableName): Promise<TableInfo> {
  const [rel] = await sql<{ oid: number | null; relkind: string | null; replident: string | null }[]>`
    select c.oid::int as oid, c.relkind::text as relkind, c.relreplident::text as replident
    from pg_class c where c.oid = to_regclass(${qualifiedName(table)})`;
  if (rel === undefined || rel.oid === null || (rel.relkind !== 'r' && rel.relkind !== 'p')) {
    throw invalidParam(TABLE_PARAM, `Table ${qualifiedName(table)} does not exist`, 'unknown_table');
  }
  // Domains resolve to their base type; arrays report their element type (Electric's `type` + `dims`).
  const rows = await sql<ColumnRow[]>`
    with pk as (
      select k.attnum, k.pos - 1 as pos
      from pg_index i, unnest(i.indkey) with ordinality as k(attnum, pos)
      where i.indrelid = ${rel.oid} and i.indisprimary
    )
    select a.attname as name, a.atttypid::int as type_oid, a.atttypmod as type_mod, a.attnotnull as not_null,
           a.attndims as att_dims, base.typname::text as base_name, base.typcategory::text as base_category,
           elem.typname::text as elem_name, elem.typcategory::text as elem_category, pk.pos::int as pk_pos,
           a.attgenerated <> '' as generated
    from pg_attribute a
    join pg_type t on t.oid = a.atttypid
    join pg_type base on base.oid = case when t.typtype = 'd' then t.typbasetype else t.oid end
    left join pg_type elem on base.typcategory = 'A' and elem.oid = base.typelem
    left join pk on pk.attnum = a.attnum
    where a.attrelid = ${rel.oid} and a.attnum > 0 and not a.attisdropped
    order by a.attnum`;
  const columns = new Map<string, ColumnInfo>();
  const primaryKey: string[] = [];
  const generatedColumns: string[] = [];
  for (const row of rows) {
    if (row.generated) {
      generatedColumns.push(row.name);
      continue;
    }
    const isArray = row.elem_name !== null;
    const info: ColumnInfo = {
      name: row.name,
      typeName: isArray ? (row.elem_name ?? row.base_name) : row.base_name,
      typeOid: row.type_oid,
      dims: isArray ? Math.max(1, row.att_dims) : 0,
      notNull: row.not_null,
      typeMod: row.type_mod,
      category: isArray ? (row.elem_category ?? 'U') : row.base_category,
    };
    if (row.pk_pos !== null) {
      info.pkIndex = row.pk_pos;
      primaryKey[row.pk_pos] = row.name;
    }
    columns.set(row.name, info);
  }
  if (primaryKey.length === 0) {
    throw new SyncError('no_primary_key', `Table ${qualifiedName(table)} has no primary key; only tables with one can be shaped`, {
      details: { [TABLE_PARAM]: ['table has no primary key'] },
    });
  }
  return { ...table, oid: rel.oid, columns, primaryKey, replicaIdentity: rel.replident ?? 'd', generatedColumns };
}
