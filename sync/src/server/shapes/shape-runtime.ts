import type { ColumnInfo } from '../schema/column-info';
import type { TableInfo } from '../schema/load-table';
import type { LogEntry } from '../store/shape-store';
import type { RowFilter } from './row-filter';
import type { ShapeDefinition } from './shape-definition';
import type { Visibility } from './visibility';

export type ShapeState = 'snapshotting' | 'ready' | 'retired';

/** One live shape instance (a handle) in memory. */
export interface ShapeRuntime {
  /** Storage id of this instance (first handle given out); keys its log and snapshot pages. */
  handle: string;
  /** The handle given out now (changes on compaction). */
  publicHandle: string;
  /** Every public handle of this instance → smallest log LSN it may resume from (0 = any). */
  handles: Map<string, number>;
  defKey: string;
  def: ShapeDefinition;
  table: TableInfo;
  /** Selected columns in table order (always includes the primary key). */
  selected: readonly ColumnInfo[];
  /** Auth mode: the column allowlist the shape was built with (null = every column of the table). */
  visibleColumns: ReadonlySet<string> | null;
  filter: RowFilter;
  /** `electric-schema` header value. */
  schemaJson: string;
  /** `"schema"."table"/` — prefix of every row key. */
  keyPrefix: string;
  state: ShapeState;
  /** Snapshot pages written so far; the snapshot is complete when state is 'ready'. */
  pageCount: number;
  snapshotEnd: string;
  snapshotError: unknown;
  /** Set once the snapshot's pg_current_snapshot() is known. */
  visibility: Visibility | null;
  /**
   * WAL insert position read inside the snapshot (after it was taken): a transaction committing at or
   * after it is never in the snapshot; one before it is iff `visibility` says so. 0 = no snapshot filter.
   */
  snapshotLsn: number;
  /** Stream changes captured while the snapshot runs, flushed with markReady. */
  captured: Array<{ xid: number; entries: LogEntry[] }>;
  /** Commit LSN of the newest entry in this shape's log (0 = empty). */
  lastLsn: number;
  logCount: number;
  /** Wake-ups for live requests waiting on this shape (new entries, snapshot progress, retirement). */
  waiters: Set<() => void>;
}

export function wake(shape: ShapeRuntime): void {
  const waiters = [...shape.waiters];
  shape.waiters.clear();
  for (const w of waiters) w();
}

/** Waits until `wake(shape)` or the timeout/abort, whichever comes first. */
export function waitForShape(shape: ShapeRuntime, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      shape.waiters.delete(done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    shape.waiters.add(done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Row key: `"schema"."table"/"pk1"/"pk2"`, a `/` inside a value doubled so keys stay unambiguous. */
export function rowKey(prefix: string, pkValues: readonly (string | null | undefined)[]): string {
  let key = prefix;
  for (let i = 0; i < pkValues.length; i++) {
    if (i > 0) key += '/';
    key += `"${(pkValues[i] ?? '').replaceAll('/', '//')}"`;
  }
  return key;
}
