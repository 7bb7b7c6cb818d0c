import type { ConstOperand, Operand, WhereNode } from './where-node';

/** Double-quotes an identifier for Postgres (`a"b` → `"a""b"`). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Renders the checked tree as SQL. Every constant becomes a numbered placeholder (never inlined text),
 * every identifier is quoted, every sub-expression parenthesised, so the output cannot mean anything the
 * tree does not. `params` receives the bound values (strings) in placeholder order.
 */
export function renderWhereSql(node: WhereNode, firstParam: number, params: unknown[]): string {
  const bind = (operand: ConstOperand): string => {
    if (operand.param === null) return 'NULL';
    params.push(operand.param.text);
    const placeholder = `$${firstParam + params.length - 1}`;
    // Bound as text and cast in SQL: drivers serialise by the parameter type Postgres infers, and
    // postgres.js would turn a timestamptz string into a JS Date (losing µs, failing on BC/infinity) and a
    // bool string into 'f'. `$1::text::"int4"` makes every driver send the canonical text unchanged.
    return operand.param.cast === undefined ? placeholder : `${placeholder}::text::${operand.param.cast}`;
  };
  const value = (operand: Operand, collateC: boolean): string =>
    operand.kind === 'const' ? bind(operand) : `${quoteIdent(operand.column.name)}${collateC ? ' COLLATE "C"' : ''}`;

  const render = (n: WhereNode): string => {
    switch (n.kind) {
      case 'and':
      case 'or':
        return `(${n.args.map(render).join(n.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `(NOT ${render(n.arg)})`;
      case 'literal':
        return n.value === null ? 'NULL::bool' : n.value ? 'TRUE' : 'FALSE';
      case 'bool-column':
        return quoteIdent(n.column.column.name);
      case 'compare': {
        // Text ordering follows code points in the live matcher; pin the snapshot to the same ("C").
        const collateC = n.domain.text && n.op !== '=' && n.op !== '<>';
        return `(${value(n.left, collateC)} ${n.op} ${value(n.right, false)})`;
      }
      case 'in':
        return `(${quoteIdent(n.column.column.name)} ${n.negated ? 'NOT IN' : 'IN'} (${n.values.map(bind).join(', ')}))`;
      case 'is-null':
        return `(${quoteIdent(n.column.column.name)} IS ${n.negated ? 'NOT ' : ''}NULL)`;
      case 'is-truth':
        return `(${render(n.arg)} IS ${n.negated ? 'NOT ' : ''}${n.truth ? 'TRUE' : 'FALSE'})`;
      case 'like':
        return `(${quoteIdent(n.column.column.name)} ${n.negated ? 'NOT ' : ''}${n.caseInsensitive ? 'ILIKE' : 'LIKE'} ${bind(n.pattern)})`;
    }
  };
  return render(node);
}
