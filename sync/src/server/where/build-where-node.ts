import type { Expr } from 'pgsql-ast-parser';
import type { ColumnInfo } from '../schema/column-info';
import { columnsComparable, normalTypeName, typeConstant, typeLabel, type RawConst } from './constant-typing';
import { parseDecimal } from './decimal';
import { domainFor, ValueInputError, type Domain } from './domains';
import { compileLike } from './like-pattern';
import { WhereError } from './where-error';
import type { ColumnOperand, CompareOp, ConstOperand, WhereNode } from './where-node';

export interface BuildWhereNodeOptions {
  /** The where text, for literal spellings and error positions. */
  source: string;
  params: Readonly<Record<string, string>>;
  columns: ReadonlyMap<string, ColumnInfo>;
}

const MAX_IN_VALUES = 1000;
const MAX_NODES = 500;
const MAX_LIKE_PATTERN = 256;

const COMPARE_OPS: Readonly<Record<string, CompareOp>> = { '=': '=', '!=': '<>', '<>': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const FLIPPED: Readonly<Record<CompareOp, CompareOp>> = { '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
const TRUTH_OPS: Readonly<Record<string, { truth: boolean; negated: boolean }>> = {
  'IS TRUE': { truth: true, negated: false },
  'IS NOT TRUE': { truth: true, negated: true },
  'IS FALSE': { truth: false, negated: false },
  'IS NOT FALSE': { truth: false, negated: true },
};

/** Turns the parser's AST into a checked {@link WhereNode}; throws WhereError for anything outside the subset. */
export function buildWhereNode(expr: Expr, options: BuildWhereNodeOptions): WhereNode {
  let nodes = 0;
  const { source, params, columns } = options;

  const fail = (code: WhereError['code'], message: string, at?: Expr): never => {
    const position = at?._location?.start;
    throw new WhereError(code, message, position === undefined ? {} : { position });
  };

  const predicate = (e: Expr): WhereNode => {
    if (++nodes > MAX_NODES) fail('where_unsupported', `where clause is too complex (more than ${MAX_NODES} terms)`);
    switch (e.type) {
      case 'binary':
        if (e.opSchema !== undefined) return fail('where_unsupported', 'schema-qualified operators are not supported', e);
        if (e.op === 'AND' || e.op === 'OR') {
          return { kind: e.op === 'AND' ? 'and' : 'or', args: [predicate(e.left), predicate(e.right)] };
        }
        {
          const op = Object.hasOwn(COMPARE_OPS, e.op) ? COMPARE_OPS[e.op] : undefined;
          if (op !== undefined) return comparison(op, e.left, e.right, e);
        }
        if (e.op === 'IN' || e.op === 'NOT IN') return inList(e.op === 'NOT IN', e.left, e.right, e);
        if (e.op === 'LIKE' || e.op === 'NOT LIKE' || e.op === 'ILIKE' || e.op === 'NOT ILIKE') {
          return like(e.op.startsWith('NOT'), e.op.endsWith('ILIKE'), e.left, e.right, e);
        }
        return fail('where_unsupported', `operator ${e.op} is not supported`, e);
      case 'unary': {
        if (e.opSchema !== undefined) return fail('where_unsupported', 'schema-qualified operators are not supported', e);
        if (e.op === 'NOT') return { kind: 'not', arg: predicate(e.operand) };
        if (e.op === 'IS NULL' || e.op === 'IS NOT NULL') {
          return { kind: 'is-null', negated: e.op === 'IS NOT NULL', column: columnOnly(e.operand, e.op) };
        }
        const truth = Object.hasOwn(TRUTH_OPS, e.op) ? TRUTH_OPS[e.op] : undefined;
        if (truth) return { kind: 'is-truth', ...truth, arg: predicate(e.operand) };
        return fail('where_type', `operator ${e.op} does not yield a boolean`, e);
      }
      case 'ternary': {
        // BETWEEN is sugar for two comparisons (Postgres rewrites it the same way).
        const inside: WhereNode = { kind: 'and', args: [comparison('>=', e.value, e.lo, e), comparison('<=', e.value, e.hi, e)] };
        return e.op === 'BETWEEN' ? inside : { kind: 'not', arg: inside };
      }
      case 'ref': {
        const column = columnOperand(e);
        if (column.column.typeName !== 'bool' || column.column.dims > 0) {
          return fail('where_type', `column "${column.column.name}" is not boolean; compare it with a value`, e);
        }
        return { kind: 'bool-column', column };
      }
      case 'boolean':
        return { kind: 'literal', value: e.value };
      case 'null':
        return { kind: 'literal', value: null };
      default:
        return unsupported(e);
    }
  };

  const unsupported = (e: Expr): never => {
    const what: Partial<Record<Expr['type'], string>> = {
      call: 'function calls', select: 'subqueries', with: 'subqueries', 'array select': 'subqueries',
      keyword: 'SQL value keywords', case: 'CASE', member: 'JSON operators', arrayIndex: 'array subscripts',
    };
    return fail('where_unsupported', `${what[e.type] ?? `"${e.type}" expressions`} are not supported in where`, e);
  };

  const columnOperand = (e: Expr): ColumnOperand => {
    if (e.type !== 'ref') return fail('where_unsupported', 'expected a column', e);
    if (e.table) return fail('where_unsupported', 'column references must not be qualified with a table', e);
    if (e.name === '*') return fail('where_unsupported', '* is not a column', e);
    // pgsql-ast-parser keeps the doubled quotes of a quoted identifier ("a""b"); Postgres means a"b.
    const name = e.name.replaceAll('""', '"');
    const column = columns.get(name);
    if (!column) return fail('where_unknown_column', `unknown column "${name}"`, e);
    return { kind: 'column', column, domain: domainFor(column) };
  };

  const columnOnly = (e: Expr, op: string): ColumnOperand =>
    e.type === 'ref' ? columnOperand(e) : fail('where_unsupported', `${op} applies to columns only`, e);

  const operand = (e: Expr): ColumnOperand | RawConst => {
    if (e.type === 'ref') return columnOperand(e);
    return constant(e);
  };

  const constant = (e: Expr): RawConst => {
    const position = e._location?.start;
    switch (e.type) {
      case 'string':
        return { kind: 'string', text: e.value, cast: undefined, param: undefined, position };
      case 'integer':
      case 'numeric':
        return { kind: 'number', text: numberText(e), position };
      case 'unary':
        if ((e.op === '-' || e.op === '+') && (e.operand.type === 'integer' || e.operand.type === 'numeric' || e.operand.type === 'unary')) {
          const inner = constant(e.operand);
          if (inner.kind !== 'number') return fail('where_unsupported', `unary ${e.op} applies to numbers only`, e);
          const text = e.op === '-' ? (inner.text.startsWith('-') ? inner.text.slice(1) : `-${inner.text}`) : inner.text;
          return { kind: 'number', text, position };
        }
        if (e.op !== '-' && e.op !== '+') {
          // pgsql-ast-parser binds IS tighter than comparisons (`a = 1 IS TRUE` → `a = (1 IS TRUE)`), unlike
          // Postgres; such a tree is refused rather than given a meaning the client did not write.
          return fail('where_unsupported', `${e.op} applies to a whole condition: write it as (a = b) ${e.op}`, e);
        }
        return fail('where_unsupported', `unary ${e.op} applies to numbers only`, e);
      case 'boolean':
        return { kind: 'bool', value: e.value };
      case 'null':
        return { kind: 'null' };
      case 'parameter':
        return paramConst(e.name, position, e);
      case 'cast': {
        const inner = e.operand.type === 'parameter' || e.operand.type === 'string' ? constant(e.operand) : undefined;
        if (!inner || inner.kind !== 'string') return fail('where_unsupported', 'casts apply to string literals and $n params only', e);
        if (e.to.kind === 'array' || e.to.config !== undefined || (e.to.schema !== undefined && e.to.schema !== 'pg_catalog')) {
          return fail('where_unsupported', 'casts to arrays, sized or schema-qualified types are not supported', e);
        }
        const name = e.to.doubleQuoted ? e.to.name : normalTypeName(e.to.name);
        return { ...inner, cast: { name, quoted: e.to.doubleQuoted === true } };
      }
      default:
        return unsupported(e);
    }
  };

  const numberText = (e: Expr): string => {
    const loc = e._location;
    const raw = loc ? source.slice(loc.start, loc.end).replace(/[\s()]/g, '') : '';
    const d = parseDecimal(raw);
    if (!d || d.kind !== 'finite') return fail('where_syntax', `invalid number literal "${raw}"`, e);
    return raw;
  };

  const paramConst = (name: string, position: number | undefined, e: Expr): RawConst => {
    const match = /^\$([1-9]\d{0,5})$/.exec(name);
    if (!match) return fail('where_param', `invalid parameter ${name}: parameters are numbered from $1`, e);
    const index = match[1] ?? '';
    const text = params[index];
    if (text === undefined) return fail('where_param', `parameter $${index} has no value (send params[${index}])`, e);
    return { kind: 'string', text, cast: undefined, param: Number(index), position };
  };

  const comparableDomain = (column: ColumnOperand, op: string, at: Expr): Domain<unknown> => {
    const { domain } = column;
    if (!domain) return fail('where_type', `column "${column.column.name}" of type ${typeLabel(column.column)} supports only IS [NOT] NULL`, at);
    if (op !== '=' && op !== '<>' && op !== 'IN' && !domain.ordered) {
      return fail('where_type', `column "${column.column.name}" of type ${domain.label} supports only = and <>`, at);
    }
    return domain;
  };

  const comparison = (op: CompareOp, leftExpr: Expr, rightExpr: Expr, at: Expr): WhereNode => {
    let left = operand(leftExpr);
    let right = operand(rightExpr);
    if (left.kind !== 'column') {
      if (right.kind !== 'column') return fail('where_unsupported', 'a comparison needs a column on one side', at);
      [left, right] = [right, left];
      op = FLIPPED[op];
    }
    const domain = comparableDomain(left, op, at);
    if (right.kind === 'column') {
      if (!columnsComparable(left.column, right.column) || !right.domain) {
        return fail('where_type', `cannot compare column "${left.column.name}" (${typeLabel(left.column)}) with "${right.column.name}" (${typeLabel(right.column)})`, at);
      }
      return { kind: 'compare', op, left, right, domain };
    }
    return { kind: 'compare', op, left, right: typeConstant(right, left.column, domain), domain };
  };

  const inList = (negated: boolean, leftExpr: Expr, rightExpr: Expr, at: Expr): WhereNode => {
    const column = columnOnly(leftExpr, 'IN');
    const domain = comparableDomain(column, 'IN', at);
    const items = rightExpr.type === 'list' ? rightExpr.expressions : [rightExpr];
    if (items.length > MAX_IN_VALUES) return fail('where_unsupported', `IN lists are limited to ${MAX_IN_VALUES} values`, at);
    const values = items.map((item) => {
      const raw = operand(item);
      if (raw.kind === 'column') return fail('where_unsupported', 'IN lists take values, not columns', item);
      return typeConstant(raw, column.column, domain, items.length > 1);
    });
    return { kind: 'in', negated, column, values, domain };
  };

  const like = (negated: boolean, caseInsensitive: boolean, leftExpr: Expr, rightExpr: Expr, at: Expr): WhereNode => {
    const column = columnOnly(leftExpr, 'LIKE');
    if (!column.domain?.text) return fail('where_type', `LIKE applies to text columns; "${column.column.name}" is ${typeLabel(column.column)}`, at);
    const raw = operand(rightExpr);
    if (raw.kind === 'column' || raw.kind === 'number' || raw.kind === 'bool') {
      return fail('where_unsupported', 'LIKE patterns must be string literals or $n params', rightExpr);
    }
    if (raw.kind === 'null') {
      return { kind: 'like', negated, caseInsensitive, column, pattern: { kind: 'const', value: null, param: null }, matcher: () => false };
    }
    if (raw.cast && raw.cast.name !== 'text' && raw.cast.name !== 'varchar') return fail('where_type', 'LIKE patterns are text', rightExpr);
    let matcher: (text: string) => boolean;
    try {
      if (raw.text.includes('\u0000')) throw new ValueInputError('values must not contain NUL characters');
      // Matching costs O(text × pattern) in the worst case, on every change of the table: keep it small.
      if (raw.text.length > MAX_LIKE_PATTERN) throw new ValueInputError(`LIKE patterns are limited to ${MAX_LIKE_PATTERN} characters`);
      matcher = compileLike(raw.text, caseInsensitive);
    } catch (error) {
      if (!(error instanceof ValueInputError)) throw error;
      return fail(raw.param === undefined ? 'where_type' : 'where_param', error.message, rightExpr);
    }
    // Postgres matches LIKE against the raw text (bpchar keeps its padding here).
    const pattern: ConstOperand = { kind: 'const', value: raw.text, param: { text: raw.text, cast: '"text"' } };
    return { kind: 'like', negated, caseInsensitive, column, pattern, matcher };
  };

  return predicate(expr);
}
