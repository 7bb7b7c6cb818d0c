import type { Domain } from './domain';
import type { CompareOp, Operand, WhereNode } from './where-node';

/** A row as Postgres text output; a column absent from the row counts as NULL. */
export type TextRow = Readonly<Record<string, string | null | undefined>>;
/** SQL three-valued logic: null is "unknown". */
type Truth = boolean | null;
type Evaluator = (row: TextRow) => Truth;

/**
 * Compiles the checked tree into closures once, so matching a change against a shape does no parsing of
 * the where clause and no allocation beyond the row values it reads.
 */
export function compileEvaluator(node: WhereNode): Evaluator {
  switch (node.kind) {
    case 'and': {
      const args = node.args.map(compileEvaluator);
      return (row) => {
        let result: Truth = true;
        for (const arg of args) {
          const v = arg(row);
          if (v === false) return false;
          if (v === null) result = null;
        }
        return result;
      };
    }
    case 'or': {
      const args = node.args.map(compileEvaluator);
      return (row) => {
        let result: Truth = false;
        for (const arg of args) {
          const v = arg(row);
          if (v === true) return true;
          if (v === null) result = null;
        }
        return result;
      };
    }
    case 'not': {
      const arg = compileEvaluator(node.arg);
      return (row) => {
        const v = arg(row);
        return v === null ? null : !v;
      };
    }
    case 'literal': {
      const { value } = node;
      return () => value;
    }
    case 'bool-column': {
      const read = reader(node.column);
      return (row) => read(row) as Truth;
    }
    case 'compare': {
      const fast = textEquality(node);
      if (fast) return fast;
      const left = reader(node.left);
      const right = reader(node.right);
      const test = comparator(node.op, node.domain);
      return (row) => {
        const a = left(row);
        if (a === null) return null;
        const b = right(row);
        return b === null ? null : test(a, b);
      };
    }
    case 'in': {
      const fast = textMembership(node);
      if (fast) return fast;
      const read = reader(node.column);
      const values = node.values.map((v) => v.value);
      const { domain, negated } = node;
      // x IN (a, b) = (x = a) OR (x = b); NOT IN is its negation, so a NULL in the list makes a miss unknown.
      return (row) => {
        const x = read(row);
        if (x === null) return null;
        let result: Truth = false;
        for (const v of values) {
          if (v === null) result = null;
          else if (domain.compare(x, v) === 0) return !negated;
        }
        return result === null ? null : negated;
      };
    }
    case 'is-null': {
      const { name } = node.column.column;
      const { negated } = node;
      return (row) => (row[name] == null) !== negated;
    }
    case 'is-truth': {
      const arg = compileEvaluator(node.arg);
      const { truth, negated } = node;
      return (row) => (arg(row) === truth) !== negated;
    }
    case 'like': {
      const { name } = node.column.column;
      const { matcher, negated } = node;
      if (node.pattern.value === null) return () => null;
      return (row) => {
        const text = row[name];
        return text == null ? null : matcher(text) !== negated;
      };
    }
  }
}

/**
 * `col = const` on a type whose text output is canonical (ints, uuid, text, bool, enum — the ones with a
 * routing key): Postgres prints equal values identically, so comparing the row's text with the constant's
 * key is exact and skips parsing. Rows must be Postgres output (pgoutput / ::text), which they are.
 */
function textEquality(node: Extract<WhereNode, { kind: 'compare' }>): Evaluator | undefined {
  if ((node.op !== '=' && node.op !== '<>') || node.left.kind !== 'column' || node.right.kind !== 'const') return undefined;
  const { value } = node.right;
  const key = value === null ? undefined : node.domain.routingKey?.(value);
  if (key === undefined) return undefined;
  const { name } = node.left.column;
  const equal = node.op === '=';
  return (row) => {
    const text = row[name];
    return text == null ? null : (text === key) === equal;
  };
}

function textMembership(node: Extract<WhereNode, { kind: 'in' }>): Evaluator | undefined {
  const keys = new Set<string>();
  let hasNull = false;
  for (const v of node.values) {
    if (v.value === null) {
      hasNull = true;
      continue;
    }
    const key = node.domain.routingKey?.(v.value);
    if (key === undefined) return undefined;
    keys.add(key);
  }
  const { name } = node.column.column;
  const { negated } = node;
  return (row) => {
    const text = row[name];
    if (text == null) return null;
    if (keys.has(text)) return !negated;
    return hasNull ? null : negated;
  };
}

/** Reads an operand's comparable value; null for SQL NULL or a row value that is not valid for its type. */
function reader(operand: Operand): (row: TextRow) => unknown {
  if (operand.kind === 'const') {
    const { value } = operand;
    return () => value;
  }
  const { name } = operand.column;
  const { domain } = operand;
  if (!domain) return (row) => row[name] ?? null;
  return (row) => {
    const text = row[name];
    return text == null ? null : (domain.fromRow(text) ?? null);
  };
}

function comparator(op: CompareOp, domain: Domain<unknown>): (a: unknown, b: unknown) => boolean {
  switch (op) {
    case '=':
      return (a, b) => domain.compare(a, b) === 0;
    case '<>':
      return (a, b) => domain.compare(a, b) !== 0;
    case '<':
      return (a, b) => domain.compare(a, b) < 0;
    case '<=':
      return (a, b) => domain.compare(a, b) <= 0;
    case '>':
      return (a, b) => domain.compare(a, b) > 0;
    case '>=':
      return (a, b) => domain.compare(a, b) >= 0;
  }
}
