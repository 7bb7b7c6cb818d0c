import { parse, type Expr } from 'pgsql-ast-parser';
import type { ColumnInfo } from '../schema/column-info';
import { buildWhereNode } from './build-where-node';
import { compileEvaluator, type TextRow } from './evaluate-where-node';
import { renderWhereSql } from './render-where-sql';
import type { SqlFragment } from './sql-fragment';
import { extractEqualities, type WhereEquality } from './where-equalities';
import { WhereError } from './where-error';
import type { WhereNode } from './where-node';

export interface CompileWhereOptions {
  /** The client's `where` parameter. */
  where: string;
  /** `params[n]` values keyed by `'n'` (`'1'` → value of `$1`); always strings on the wire. */
  params: Readonly<Record<string, string>>;
  /**
   * Columns the where may reference. With auth on, pass only the caller's allowed columns (scope
   * `columnsFor`), otherwise a where on a hidden column is an oracle for its value.
   */
  columns: ReadonlyMap<string, ColumnInfo>;
}

export interface CompiledWhere extends SqlFragment {
  /** True when the row (Postgres text values; absent columns count as NULL) satisfies the where. */
  matches(row: TextRow): boolean;
  /** Normalised condition rebuilt from the checked tree: quoted identifiers, `$1…` placeholders. */
  sql: string;
  /** Values for the placeholders: canonical text, each placeholder carries its cast in `sql`. */
  sqlParams: unknown[];
  /** Top-level `column = constant` routing keys (see {@link extractEqualities}). */
  equalities: ReadonlyArray<WhereEquality>;
  /** Columns the where reads: a change must carry them (full row) for `matches` to be exact. */
  referencedColumns: ReadonlySet<string>;
}

/**
 * Refused before parsing: pgsql-ast-parser (nearley) needs ~0.1 ms per character, so these bound the CPU
 * one shape request can cost (~0.4 s worst case) on a shared 2-core server.
 */
const MAX_WHERE_LENGTH = 4_096;
const MAX_NESTING = 32;

/**
 * Parses a shape's `where` with a real SQL parser, checks it against the safe subset (columns of this
 * table, literals, `$n` params, comparisons, AND/OR/NOT, IN, IS [NOT] NULL, IS [NOT] TRUE/FALSE,
 * [NOT] LIKE/ILIKE, BETWEEN, casts of constants to the column's type) and returns a live matcher plus the
 * equivalent snapshot SQL. Anything else throws {@link WhereError} (→ HTTP 400).
 *
 * Semantics match Postgres on the text form of values: numbers compare numerically (exactly for
 * int/numeric), bool `t`/`f`, uuid case-insensitively, timestamps/dates by instant, text by code point
 * (the C collation; the SQL pins `COLLATE "C"` on text ordering so snapshot and live agree), NULL per SQL
 * three-valued logic (an unknown result does not match).
 *
 * @example
 *   const w = compileWhere({ where: 'project_id = $1 and position > $2', params: { '1': id, '2': 'a0' }, columns });
 *   w.matches({ project_id: id, position: 'a1' }) // true
 *   w.sql // ("project_id" = $1::"uuid") AND ("position" COLLATE "C" > $2::"text") — wrapped in parentheses
 */
export function compileWhere(options: CompileWhereOptions): CompiledWhere {
  const { where } = options;
  if (where.length > MAX_WHERE_LENGTH) throw new WhereError('where_unsupported', `where is longer than ${MAX_WHERE_LENGTH} characters`);
  if (where.trim() === '') throw new WhereError('where_syntax', 'where is empty');
  if (nestingDepth(where) > MAX_NESTING) throw new WhereError('where_unsupported', `where nests parentheses deeper than ${MAX_NESTING}`);
  const node = buildWhereNode(parseExpression(where), { source: where, params: options.params, columns: options.columns });
  const evaluate = compileEvaluator(node);
  const sqlParams: unknown[] = [];
  const sql = renderWhereSql(node, 1, sqlParams);
  const referencedColumns = new Set<string>();
  collectColumns(node, referencedColumns);
  return {
    matches: (row) => evaluate(row) === true,
    sql,
    sqlParams,
    sqlAt: (firstParam) => renderWhereSql(node, firstParam, []),
    equalities: extractEqualities(node),
    referencedColumns,
  };
}

/** Parenthesis depth outside quotes (approximate for E'' escapes, which can only over-count). */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote: string | undefined;
  for (const ch of text) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined; // a doubled quote re-enters on the next character
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '(') {
      max = Math.max(max, ++depth);
    } else if (ch === ')') {
      depth--;
    }
  }
  return max;
}

/**
 * Parsed trees by where text. Parsing dominates compile time (nearley, ~1 ms for a short clause) and many
 * shapes share a text with different params (`project_id = $1`); the tree is read-only afterwards.
 */
const PARSE_CACHE_SIZE = 512;
const parseCache = new Map<string, Expr>();

function parseExpression(where: string): Expr {
  const cached = parseCache.get(where);
  if (cached !== undefined) {
    // Re-insert: Map keeps insertion order, so the first key is always the least recently used.
    parseCache.delete(where);
    parseCache.set(where, cached);
    return cached;
  }
  const expr = parseUncached(where);
  if (parseCache.size >= PARSE_CACHE_SIZE) {
    const oldest = parseCache.keys().next();
    if (!oldest.done) parseCache.delete(oldest.value);
  }
  parseCache.set(where, expr);
  return expr;
}

function parseUncached(where: string): Expr {
  let parsed: unknown;
  try {
    parsed = parse(where, { entry: 'expr', locationTracking: true });
  } catch (error) {
    // The parser's message carries the line/column and what it expected: useful to the client as is.
    const message = error instanceof Error ? error.message.split('\n').filter((l) => l.trim() !== '').slice(0, 3).join(' ') : 'syntax error';
    throw new WhereError('where_syntax', `invalid where: ${message}`, { cause: error });
  }
  const expr = Array.isArray(parsed) ? (parsed.length === 1 ? (parsed[0] as Expr) : undefined) : (parsed as Expr);
  if (!expr) throw new WhereError('where_syntax', 'where must be a single expression');
  return expr;
}

function collectColumns(node: WhereNode, out: Set<string>): void {
  switch (node.kind) {
    case 'and':
    case 'or':
      node.args.forEach((arg) => collectColumns(arg, out));
      return;
    case 'not':
    case 'is-truth':
      collectColumns(node.arg, out);
      return;
    case 'literal':
      return;
    case 'compare':
      for (const side of [node.left, node.right]) if (side.kind === 'column') out.add(side.column.name);
      return;
    default:
      out.add(node.column.column.name);
  }
}
