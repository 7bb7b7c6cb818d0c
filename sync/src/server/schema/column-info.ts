// Shared contract with the where/scope engineer (sync/src/server/where, sync/src/server/scope):
// compileWhere() and the scope policy receive a table's columns as ReadonlyMap<name, ColumnInfo>,
// built by the core from pg_attribute/pg_type when a shape is first requested. Do not change a field's
// meaning without telling both sides; adding optional fields is fine.

/** One column of a shaped table, as read from the catalog (pg_attribute + pg_type). */
export interface ColumnInfo {
  /** Column name exactly as in the catalog (unquoted, case preserved). */
  name: string;
  /**
   * Postgres typname; for arrays the ELEMENT type (e.g. `int4` for `int4[]`), with `dims` > 0.
   * Domains are resolved to their base type; enums keep the enum's own typname (see `isEnum`).
   */
  typeName: string;
  /** pg_type oid of the column's declared type (the array type's oid for arrays). */
  typeOid: number;
  /** Array dimensions (0 for scalars). pg_attribute.attndims is unreliable, so >=1 for any array. */
  dims: number;
  notNull: boolean;
  /** 0-based position in the primary key (Electric's `pk_index`), absent when not part of it. */
  pkIndex?: number;
  /** pg_attribute.atttypmod (-1 when none); e.g. vector(512) → 512, varchar(20) → 24. */
  typeMod: number;
  /** pg_type.typcategory of the (element) type: 'N' numeric, 'S' string, 'B' bool, 'D' datetime, 'E' enum, 'U' user… */
  category: string;
}

/** Columns of one table in catalog (attnum) order. */
export type ColumnMap = ReadonlyMap<string, ColumnInfo>;
