// The single integration point with the where compiler (sync/src/server/where) and the scope policy
// (sync/src/server/scope). Both produce the same thing: a predicate over Postgres text-form rows, the
// equivalent SQL for the snapshot query, and equality constraints usable as routing-index keys.
import type { ColumnMap } from '../schema/column-info';
import { WHERE_PARAM } from '../../protocol/constants';
import { invalidParam } from '../sync-error';

export type TextRow = Record<string, string | null>;

export interface RowFilter {
  matches(row: TextRow): boolean;
  /** SQL boolean expression with `$1…$n` placeholders for `sqlParams`; null = no restriction. */
  sql: string | null;
  sqlParams: unknown[];
  /** Conjunctive `column = value` constraints (value in Postgres text output form). */
  equalities: ReadonlyArray<{ column: string; value: string }>;
}

export const MATCH_ALL: RowFilter = { matches: () => true, sql: null, sqlParams: [], equalities: [] };

export interface CompileWhereInput {
  where: string;
  params: Record<string, string>;
  columns: ColumnMap;
}

/** Signature of the where compiler (sync/src/server/where/compile-where.ts). */
export type CompileWhere = (input: CompileWhereInput) => RowFilter;

/** Used until/unless a compiler is injected: only an absent where is accepted. */
export const rejectAnyWhere: CompileWhere = () => {
  throw invalidParam(WHERE_PARAM, 'where clauses are not supported by this server build');
};

/** Conjunction of two filters; `b`'s placeholders are renumbered after `a`'s. */
export function andFilters(a: RowFilter, b: RowFilter): RowFilter {
  if (a.sql === null && a.equalities.length === 0 && a === MATCH_ALL) return b;
  if (b === MATCH_ALL) return a;
  const shift = a.sqlParams.length;
  // Fragments come from our own compilers, which never inline `$` outside placeholders.
  const bSql = b.sql === null ? null : b.sql.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + shift}`);
  const sql = a.sql === null ? bSql : bSql === null ? a.sql : `(${a.sql}) and (${bSql})`;
  return {
    matches: (row) => a.matches(row) && b.matches(row),
    sql,
    sqlParams: [...a.sqlParams, ...b.sqlParams],
    equalities: [...a.equalities, ...b.equalities],
  };
}
