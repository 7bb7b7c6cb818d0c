import type { RelationMessage, Tuple } from '../replication/pgoutput-decoder';
import type { TextRow } from './row-filter';

/**
 * A pgoutput tuple as a name → text row. Unchanged TOAST values (`undefined`) are taken from the old
 * tuple (REPLICA IDENTITY FULL logs it complete), never sent as null.
 */
export function tupleToRow(relation: RelationMessage, tuple: Tuple, old: Tuple | null): TextRow {
  const row: TextRow = {};
  const cols = relation.columns;
  for (let i = 0; i < cols.length; i++) {
    const v = tuple[i];
    const name = (cols[i] as { name: string }).name;
    if (v !== undefined) row[name] = v;
    else if (old !== null && old[i] !== undefined) row[name] = old[i] ?? null;
  }
  return row;
}
