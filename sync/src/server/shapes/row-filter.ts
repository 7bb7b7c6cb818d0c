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
  /**
   * The same expression with its placeholders numbered from `$first` (null = no restriction). Filters are
   * combined by rendering each at its offset, never by rewriting SQL text: a quoted identifier such as
   * `"a$1"` must come out unchanged.
   */
  sqlAt(first: number): string | null;
  /** Conjunctive `column = value` constraints (value in Postgres text output form). */
  equalities: ReadonlyArray<{ column: string; value: string }>;
  /**
   * Columns `matches` reads. A schema change to one of them makes the shape unservable (it is rotated);
   * undefined = unknown, so any change to an existing column counts.
   */
  referencedColumns?: ReadonlySet<string> | undefined;
}

export const MATCH_ALL: RowFilter = { matches: () => true, sql: null, sqlParams: [], sqlAt: () => null, equalities: [], referencedColumns: new Set() };

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

/** Conjunction of two filters: `b` is rendered with its placeholders numbered after `a`'s. */
export function andFilters(a: RowFilter, b: RowFilter): RowFilter {
  if (a === MATCH_ALL) return b;
  if (b === MATCH_ALL) return a;
  const sqlAt = (first: number): string | null => {
    const aSql = a.sqlAt(first);
    const bSql = b.sqlAt(first + a.sqlParams.length);
    return aSql === null ? bSql : bSql === null ? aSql : `(${aSql}) and (${bSql})`;
  };
  const ra = a.referencedColumns;
  const rb = b.referencedColumns;
  return {
    matches: (row) => a.matches(row) && b.matches(row),
    sql: sqlAt(1),
    sqlParams: [...a.sqlParams, ...b.sqlParams],
    sqlAt,
    equalities: [...a.equalities, ...b.equalities],
    referencedColumns: ra === undefined || rb === undefined ? undefined : new Set([...ra, ...rb]),
  };
}
