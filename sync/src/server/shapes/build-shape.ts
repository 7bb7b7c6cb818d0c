// Resolves a definition against the catalog, the caller's scope and the where compiler.
import { COLUMNS_PARAM, TABLE_PARAM } from '../../protocol/constants';
import type { ColumnInfo } from '../schema/column-info';
import type { TableInfo } from '../schema/load-table';
import { qualifiedName, quoteIdent } from '../schema/table-name';
import { invalidParam } from '../sync-error';
import { andFilters, MATCH_ALL, type CompileWhere, type RowFilter } from './row-filter';
import type { ScopePolicy } from './scope-policy';
import type { ShapeDefinition } from './shape-definition';

export interface BuiltShape {
  table: TableInfo;
  selected: ColumnInfo[];
  filter: RowFilter;
  /** The scope's column allowlist (null = all columns): decides what a select-all shape picks up later. */
  visibleColumns: ReadonlySet<string> | null;
}

export interface BuildShapeOptions {
  def: ShapeDefinition;
  table: TableInfo;
  compileWhere: CompileWhere;
  scope?: ScopePolicy | undefined;
}

export async function buildShape({ def, table, compileWhere, scope }: BuildShapeOptions): Promise<BuiltShape> {
  let allowed: ReadonlyMap<string, ColumnInfo> = table.columns;
  let scopeFilter: RowFilter = MATCH_ALL;
  let visibleColumns: ReadonlySet<string> | null = null;
  if (def.userId !== null && scope !== undefined) {
    const s = await scope.scopeFor({ userId: def.userId, table });
    if (s === null) throw invalidParam(TABLE_PARAM, `Table ${qualifiedName(table)} is not available`, 'unknown_table');
    scopeFilter = s.filter;
    const visible = s.columns;
    if (visible !== undefined) {
      visibleColumns = visible;
      allowed = new Map([...table.columns].filter(([name]) => visible.has(name)));
    }
  }
  let selected: ColumnInfo[];
  if (def.columns === null) {
    selected = [...allowed.values()];
  } else {
    const wanted = new Set(def.columns);
    for (const name of wanted) {
      if (table.generatedColumns?.includes(name) === true && (visibleColumns === null || visibleColumns.has(name))) {
        throw invalidParam(COLUMNS_PARAM, `Column ${quoteIdent(name)} is generated: Postgres 15 logical replication does not carry generated columns, so it cannot be synced (select the columns it is computed from)`);
      }
      if (!allowed.has(name)) throw invalidParam(COLUMNS_PARAM, `Unknown column ${quoteIdent(name)}`);
    }
    for (const pk of table.primaryKey) {
      if (!wanted.has(pk)) throw invalidParam(COLUMNS_PARAM, `columns must include the primary key column ${quoteIdent(pk)}`);
    }
    selected = [...allowed.values()].filter((c) => wanted.has(c.name));
  }
  const whereFilter = def.where === null ? MATCH_ALL : compileWhere({ where: def.where, params: def.params, columns: allowed });
  return { table, selected, filter: andFilters(whereFilter, scopeFilter), visibleColumns };
}
