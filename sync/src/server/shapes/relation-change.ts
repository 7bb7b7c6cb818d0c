// Decides whether a Relation message (a table's definition as pgoutput sends it before the first change
// after any DDL or cache invalidation) leaves a shape servable. Postgres resends unchanged definitions
// often (VACUUM/ANALYZE invalidate the relcache), so the question is not "did something change" but
// "would building this shape now select, key or filter anything differently".
import type { RelationColumn, RelationMessage } from '../replication/pgoutput-decoder';
import type { ColumnInfo } from '../schema/column-info';
import type { ShapeRuntime } from './shape-runtime';

export type ShapeSchemaView = Pick<ShapeRuntime, 'def' | 'table' | 'selected' | 'filter' | 'visibleColumns'>;

const sameType = (was: ColumnInfo, now: RelationColumn | undefined): boolean =>
  now !== undefined && now.typeOid === was.typeOid && now.typeMod === was.typeMod;

/**
 * Why `rel` makes `shape` unservable, or null when the shape is unaffected:
 * - the table was renamed or moved to another schema (row keys and `relation` headers carry its name);
 * - the columns the shape would select now differ from what it selects (an added column in a select-all
 *   shape — within the column allowlist in auth mode —, a selected column dropped, renamed or retyped);
 * - a primary-key column or a column its filter reads was dropped, renamed or retyped.
 * Not visible here: nullability and primary-key membership (pgoutput does not send them); those are
 * caught when a restart reloads the shape against the catalog.
 */
export function relationChangeReason(shape: ShapeSchemaView, rel: RelationMessage): string | null {
  if (rel.schema !== shape.table.schema || rel.name !== shape.table.name) return 'table renamed';
  const byName = new Map(rel.columns.map((c) => [c.name, c]));
  const visible = shape.visibleColumns;
  const wanted = shape.def.columns === null ? null : new Set(shape.def.columns);
  const wouldSelect = rel.columns.filter((c) => (visible === null || visible.has(c.name)) && (wanted === null || wanted.has(c.name)));
  if (wanted !== null && wouldSelect.length !== wanted.size) return 'a selected column was dropped or renamed';
  if (wouldSelect.length !== shape.selected.length) return shape.def.columns === null ? 'columns added or removed' : 'selected columns changed';
  for (let i = 0; i < wouldSelect.length; i++) {
    const was = shape.selected[i] as ColumnInfo;
    const now = wouldSelect[i] as RelationColumn;
    if (now.name !== was.name) return 'selected columns renamed or reordered';
    if (!sameType(was, now)) return `column ${JSON.stringify(was.name)} changed type`;
  }
  const read = shape.filter.referencedColumns ?? new Set(shape.table.columns.keys());
  for (const name of [...shape.table.primaryKey, ...read]) {
    const was = shape.table.columns.get(name);
    if (was !== undefined && !sameType(was, byName.get(name))) return `column ${JSON.stringify(name)} the shape keys or filters on changed`;
  }
  return null;
}
