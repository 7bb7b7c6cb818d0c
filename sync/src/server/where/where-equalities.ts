import type { WhereNode } from './where-node';

export interface WhereEquality {
  column: string;
  /** The column's value exactly as pgoutput / `::text` prints it (e.g. lower-case uuid, `t` for true). */
  value: string;
}

/**
 * The routing keys of a where clause: `column = constant` terms (or a bare boolean column) that every
 * matching row must satisfy, i.e. top-level AND-ed ones. A row whose text value differs cannot match, so the
 * fan-out can index shapes by (column, value) and evaluate only the shapes a change can reach.
 *
 * Emitted only for types whose text form is canonical (ints, uuid, text/varchar, bool, enum): for numeric,
 * floats, bpchar and timestamps equal values can print differently (`1.0`/`1`, padding, offsets), so those
 * terms are not routing keys (the shape is still correct, it is just evaluated for every change of the
 * table). IN lists and OR-ed terms do not yield keys either.
 */
export function extractEqualities(node: WhereNode): WhereEquality[] {
  const out: WhereEquality[] = [];
  const visit = (n: WhereNode): void => {
    if (n.kind === 'and') {
      n.args.forEach(visit);
    } else if (n.kind === 'bool-column') {
      out.push({ column: n.column.column.name, value: 't' });
    } else if (n.kind === 'compare' && n.op === '=' && n.left.kind === 'column' && n.right.kind === 'const') {
      const { value } = n.right;
      const key = value === null ? undefined : n.domain.routingKey?.(value);
      if (key !== undefined) out.push({ column: n.left.column.name, value: key });
    }
  };
  visit(node);
  return out;
}
