// What the core needs from the scope policy (implemented in sync/src/server/scope by the where/scope
// engineer). In dev mode (no `authenticate`) there is no policy and every table with a primary key is open.
import type postgres from 'postgres';
import type { TableInfo } from '../schema/load-table';
import type { RowFilter, TextRow } from './row-filter';

export interface ShapeScope {
  /** Columns the caller may read; requesting others → 400. Undefined = all. */
  columns?: ReadonlySet<string>;
  /** Extra predicate ANDed with the client's where (e.g. `project_id` in the caller's projects). */
  filter: RowFilter;
}

/** A committed row change offered to the policy before routing (keeps e.g. its project→owner map fresh). */
export interface ObservedChange {
  schema: string;
  table: string;
  operation: 'insert' | 'update' | 'delete';
  newRow: TextRow | null;
  oldRow: TextRow | null;
}

export interface ScopePolicy {
  /** null → the table is not in the caller's synced set (400 unknown table). */
  scopeFor(input: { userId: string; table: TableInfo }): ShapeScope | null | Promise<ShapeScope | null>;
  /** Called synchronously for every committed change, in commit order, before it is routed to shapes. */
  observe?(change: ObservedChange): void;
  /**
   * Called by start() once the slot exists, before replication begins, and again whenever the slot had to
   * be recreated (the changes `observe` would have seen are lost with it): read whatever state `observe`
   * keeps current (and publish the tables it observes, so no change between the read and the stream is
   * missed). Must be safe to call more than once.
   */
  load?(sql: postgres.Sql, options: { publicationName: string }): Promise<void>;
}
