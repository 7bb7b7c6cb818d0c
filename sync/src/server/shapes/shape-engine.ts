// The shape registry and ingest path: routes committed replication transactions into per-shape logs,
// flushes them (with the replication cursor) in one SQLite transaction per batch, then acknowledges the
// slot and wakes live requests.
import type postgres from 'postgres';
import type { ChangeMessage } from '../../protocol/messages';
import type { Transaction } from '../replication/replication-consumer';
import { loadTable } from '../schema/load-table';
import { electricSchema } from '../schema/electric-schema';
import { publishTable } from '../replication/publication';
import { quoteIdent } from '../schema/table-name';
import type { LogEntry, ShapeStore } from '../store/shape-store';
import { buildShape } from './build-shape';
import { changeMessages } from './change-messages';
import { compactEntries } from './compact-log';
import type { CompileWhere } from './row-filter';
import type { ScopePolicy } from './scope-policy';
import { definitionKey, type ShapeDefinition } from './shape-definition';
import { wake, type ShapeRuntime } from './shape-runtime';
import { relationChangeReason } from './relation-change';
import { RoutingIndex } from './routing-index';
import { takeSnapshot } from './take-snapshot';
import { tupleToRow } from './tuple-row';
import { alreadyInSnapshot, visibilityOfSnapshotEnd, visibleInSnapshot } from './visibility';

export interface EngineLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ShapeEngineOptions {
  store: ShapeStore;
  /** Catalog/DDL pool. */
  sql: postgres.Sql;
  /** Snapshot pool (text-form session settings). */
  snapshotSql: postgres.Sql;
  publicationName: string;
  compileWhere: CompileWhere;
  scope?: ScopePolicy | undefined;
  log: EngineLogger;
  snapshotPageSize: number;
  /** A shape whose log grows past this many entries is compacted (or rotated when that does not help). */
  maxLogEntries: number;
  /** Acknowledge a WAL position to the slot (called after the data up to it is durable). */
  acknowledge(lsn: bigint): void;
  onIngest?(changes: number, commitTimeMicros: bigint | null): void;
  now?: () => number;
}

export class ShapeEngine {
  readonly #o: ShapeEngineOptions;
  readonly #index = new RoutingIndex();
  /** Public handles (current and older ones) → instance. */
  readonly #byHandle = new Map<string, ShapeRuntime>();
  /** Storage id → instance. */
  readonly #byStorage = new Map<string, ShapeRuntime>();
  readonly #byDef = new Map<string, ShapeRuntime>();
  readonly #creating = new Map<string, Promise<ShapeRuntime>>();
  #cursor: number;
  /** Commit LSN up to which every change is durable in the logs. */
  processedLsn: number;
  #queue: LogEntry[] = [];
  #touched = new Set<ShapeRuntime>();
  #pendingCursor: number | null = null;
  #pendingAck = 0n;
  #flushScheduled = false;
  #counter = 0;

  constructor(options: ShapeEngineOptions) {
    this.#o = options;
    this.#cursor = options.store.cursor();
    this.processedLsn = this.#cursor;
  }

  get shapeCount(): number {
    return this.#byStorage.size;
  }

  byHandle(handle: string): ShapeRuntime | undefined {
    return this.#byHandle.get(handle);
  }

  /** Reloads durable shapes after a restart; drops unfinished snapshots and shapes whose table changed. */
  async load(): Promise<void> {
    for (const stored of this.#o.store.shapes()) {
      if (stored.status !== 'ready') {
        this.#o.store.deleteShape(stored.handle);
        continue;
      }
      try {
        const def = JSON.parse(stored.definition) as ShapeDefinition;
        const table = await loadTable(this.#o.sql, def.table);
        const built = await buildShape({ def, table, compileWhere: this.#o.compileWhere, scope: this.#o.scope });
        const schemaJson = JSON.stringify(electricSchema(built.selected));
        if (schemaJson !== stored.schema) throw new Error('table definition changed');
        const shape = this.#runtime(stored.handle, stored.defKey, def, built, schemaJson);
        shape.state = 'ready';
        shape.pageCount = stored.pageCount;
        shape.snapshotEnd = stored.snapshotEnd;
        shape.snapshotLsn = stored.snapshotLsn;
        shape.visibility = visibilityOfSnapshotEnd(stored.snapshotEnd);
        shape.lastLsn = this.#o.store.lastLogLsn(stored.handle);
        shape.logCount = this.#o.store.logCount(stored.handle);
        const handles = this.#o.store.handles(stored.handle);
        if (handles.length > 0) shape.handles = new Map(handles.map((h) => [h.publicHandle, h.minLsn]));
        shape.publicHandle = [...shape.handles].find(([, min]) => min === 0)?.[0] ?? stored.handle;
        this.#register(shape);
      } catch (error) {
        this.#o.log.warn({ handle: stored.handle, err: error }, 'dropping stored shape that can no longer be served');
        this.#o.store.deleteShape(stored.handle);
      }
    }
  }

  /** The current instance for a definition, creating it (and starting its snapshot) if needed. */
  async getOrCreate(def: ShapeDefinition): Promise<ShapeRuntime> {
    const key = definitionKey(def);
    const existing = this.#byDef.get(key);
    if (existing !== undefined && existing.state !== 'retired') return existing;
    let creating = this.#creating.get(key);
    if (creating === undefined) {
      creating = this.#create(def, key).finally(() => this.#creating.delete(key));
      this.#creating.set(key, creating);
    }
    return creating;
  }

  async #create(def: ShapeDefinition, defKey: string): Promise<ShapeRuntime> {
    const table = await loadTable(this.#o.sql, def.table);
    const built = await buildShape({ def, table, compileWhere: this.#o.compileWhere, scope: this.#o.scope });
    // Publish before registering: pgoutput only carries the table for transactions after this commits.
    await publishTable(this.#o.sql, this.#o.publicationName, table);
    const now = (this.#o.now ?? Date.now)();
    const handle = this.#newHandle(defKey);
    const schemaJson = JSON.stringify(electricSchema(built.selected));
    const shape = this.#runtime(handle, defKey, def, built, schemaJson);
    this.#o.store.createShape({
      handle, defKey, definition: JSON.stringify(def), schema: schemaJson,
      status: 'creating', pageCount: 0, snapshotEnd: '', snapshotLsn: 0, createdAt: now,
    });
    this.#o.store.addHandle(handle, handle);
    this.#register(shape);
    void this.#snapshot(shape);
    return shape;
  }

  /** Unique per instance and generation (definition hash + time + counter): never handed out twice. */
  #newHandle(defKey: string): string {
    return `${defKey}-${(this.#o.now ?? Date.now)()}${String(this.#counter++ % 1000).padStart(3, '0')}`;
  }

  #runtime(handle: string, defKey: string, def: ShapeDefinition, built: Awaited<ReturnType<typeof buildShape>>, schemaJson: string): ShapeRuntime {
    return {
      handle, publicHandle: handle, handles: new Map([[handle, 0]]), defKey, def, table: built.table, selected: built.selected,
      visibleColumns: built.visibleColumns, filter: built.filter, schemaJson,
      keyPrefix: `${quoteIdent(built.table.schema)}.${quoteIdent(built.table.name)}/`,
      state: 'snapshotting', pageCount: 0, snapshotEnd: '', snapshotError: undefined, visibility: null, snapshotLsn: 0,
      captured: [], lastLsn: 0, logCount: 0, waiters: new Set(),
    };
  }

  #register(shape: ShapeRuntime): void {
    for (const h of shape.handles.keys()) this.#byHandle.set(h, shape);
    this.#byStorage.set(shape.handle, shape);
    this.#byDef.set(shape.defKey, shape);
    this.#index.add(shape);
  }

  async #snapshot(shape: ShapeRuntime): Promise<void> {
    try {
      await takeSnapshot({ sql: this.#o.snapshotSql, store: this.#o.store, shape, pageSize: this.#o.snapshotPageSize });
      if (shape.state === 'retired') return;
      const captured = shape.captured.flatMap((c) => c.entries);
      this.#o.store.markReady(shape.handle, shape.pageCount, shape.snapshotEnd, shape.snapshotLsn, captured);
      shape.captured = [];
      shape.logCount = captured.length;
      shape.lastLsn = captured.reduce((m, e) => Math.max(m, e.lsn), 0);
      shape.state = 'ready';
      wake(shape);
    } catch (error) {
      this.#o.log.error({ handle: shape.handle, err: error }, 'snapshot failed');
      shape.snapshotError = error;
      this.retire(shape);
    }
  }

  /** Ends a shape instance: its handle will get 409 from now on, its storage is freed. */
  retire(shape: ShapeRuntime): void {
    if (shape.state === 'retired') return;
    shape.state = 'retired';
    this.#index.remove(shape);
    for (const h of shape.handles.keys()) this.#byHandle.delete(h);
    this.#byStorage.delete(shape.handle);
    if (this.#byDef.get(shape.defKey) === shape) this.#byDef.delete(shape.defKey);
    this.#o.store.deleteShape(shape.handle);
    wake(shape);
  }

  /** Retires every shape of a table (DELETE /v1/shape?table=…, TRUNCATE). */
  retireTable(schema: string, name: string): number {
    let n = 0;
    for (const shape of [...this.#byStorage.values()]) {
      if (shape.table.schema === schema && shape.table.name === name) {
        this.retire(shape);
        n++;
      }
    }
    return n;
  }

  /** Routes one committed transaction (called in commit order by the replication consumer). */
  ingest(txn: Transaction): void {
    if (txn.commitLsn <= this.#cursor) {
      // Already durable before a restart: Postgres resends from the last acknowledged position.
      this.#scheduleAck(txn.endLsn);
      return;
    }
    this.#cursor = txn.commitLsn;
    // A new table definition rotates the shapes it changes (409 → clients refetch with the new schema).
    // pgoutput sends it with the first change after the DDL, so rotation happens then, not at the ALTER.
    for (const rel of txn.relations) {
      for (const shape of this.#index.shapesOf(rel.relationId)) {
        const reason = relationChangeReason(shape, rel);
        if (reason === null) continue;
        this.#o.log.warn({ handle: shape.handle, table: `${rel.schema}.${rel.name}`, reason }, 'table definition changed; rotating shape');
        this.retire(shape);
      }
    }
    for (const rel of txn.truncated) for (const shape of this.#index.shapesOf(rel.relationId)) this.retire(shape);

    const perShape = new Map<ShapeRuntime, ChangeMessage[]>();
    const scope = this.#o.scope;
    const lsn = String(txn.commitLsn);
    const txids = [txn.xid];
    for (let i = 0; i < txn.changes.length; i++) {
      const ch = txn.changes[i];
      if (ch === undefined) continue;
      const relId = ch.relation.relationId;
      const routed = this.#index.hasRelation(relId);
      if (!routed && scope?.observe === undefined) continue;
      const newRow = ch.newTuple === null ? null : tupleToRow(ch.relation, ch.newTuple, ch.oldIsKeyOnly ? null : ch.oldTuple);
      const oldRow = ch.oldTuple === null ? null : tupleToRow(ch.relation, ch.oldTuple, null);
      scope?.observe?.({ schema: ch.relation.schema, table: ch.relation.name, operation: ch.kind, newRow, oldRow });
      if (!routed) continue;
      for (const shape of this.#index.candidates(relId, newRow, oldRow)) {
        const msgs = changeMessages(shape, { kind: ch.kind, newRow, oldRow, oldIsKeyOnly: ch.oldIsKeyOnly }, { txids, lsn, op_position: i });
        if (msgs.length === 0) continue;
        const list = perShape.get(shape);
        if (list === undefined) perShape.set(shape, msgs);
        else list.push(...msgs);
      }
    }
    for (const [shape, msgs] of perShape) {
      const last = msgs[msgs.length - 1];
      if (last !== undefined) last.headers.last = true;
      // Offsets: two per change, so a primary-key change (delete + insert) stays unique and ordered.
      const entries = msgs.map((m, j) => ({
        handle: shape.handle,
        lsn: txn.commitLsn,
        op: (m.headers.op_position ?? 0) * 2 + (j > 0 && msgs[j - 1]?.headers.op_position === m.headers.op_position ? 1 : 0),
        body: JSON.stringify(m),
      }));
      if (shape.state === 'snapshotting') {
        if (shape.visibility === null || !visibleInSnapshot(shape.visibility, txn.xid)) shape.captured.push({ xid: txn.xid, entries });
      } else if (shape.state === 'ready') {
        // The stream can lag behind a snapshot taken after this transaction committed: the snapshot has it.
        if (alreadyInSnapshot(shape, txn.commitLsn, txn.xid)) continue;
        this.#queue.push(...entries);
        this.#touched.add(shape);
      }
    }
    this.#pendingCursor = txn.commitLsn;
    this.#o.onIngest?.(txn.changes.length, txn.commitTime);
    this.#scheduleAck(txn.endLsn);
  }

  /** Nothing in flight and the server reports WAL end `lsn`: safe to let the slot advance to it. */
  idle(lsn: bigint): void {
    if (this.#queue.length === 0 && !this.#flushScheduled) this.#o.acknowledge(lsn > this.#pendingAck ? lsn : this.#pendingAck);
  }

  #scheduleAck(endLsn: bigint): void {
    if (endLsn > this.#pendingAck) this.#pendingAck = endLsn;
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // Batch every transaction that arrived in this turn of the event loop into one SQLite transaction.
    setImmediate(() => this.flush());
  }

  /** Makes queued entries and the cursor durable, then acknowledges and wakes live requests. */
  flush(): void {
    this.#flushScheduled = false;
    const entries = this.#queue.filter((e) => this.#byStorage.get(e.handle)?.state === 'ready');
    const cursor = this.#pendingCursor;
    this.#queue = [];
    this.#pendingCursor = null;
    if (entries.length > 0 || cursor !== null) this.#o.store.append(entries, cursor);
    if (cursor !== null) this.processedLsn = cursor;
    this.#o.acknowledge(this.#pendingAck);
    const touched = this.#touched;
    this.#touched = new Set();
    for (const e of entries) {
      const shape = this.#byStorage.get(e.handle);
      if (shape === undefined) continue;
      shape.logCount++;
      shape.lastLsn = e.lsn;
    }
    for (const shape of touched) {
      if (shape.logCount > this.#o.maxLogEntries) this.#compactOrRotate(shape);
      wake(shape);
    }
  }

  /**
   * Bounds a shape's log: compacts its older half to one message per row (live clients sit near the head
   * and keep their handle and offsets); when that cannot shrink it enough (the log is mostly distinct
   * rows), rotates the shape instead (409 → fresh snapshot for its clients).
   */
  #compactOrRotate(shape: ShapeRuntime): void {
    const upTo = this.#o.store.lsnAt(shape.handle, Math.floor(shape.logCount / 2));
    const prefix = upTo === undefined ? [] : this.#o.store.logPrefix(shape.handle, upTo);
    const compacted = compactEntries(prefix);
    if (upTo === undefined || compacted.length > this.#o.maxLogEntries / 4) {
      this.#o.log.info({ handle: shape.handle, entries: shape.logCount }, 'shape log past its limit and not compactable; rotating');
      this.retire(shape);
      return;
    }
    const newHandle = this.#newHandle(shape.defKey);
    this.#o.store.compact(shape.handle, upTo, compacted, newHandle);
    for (const h of shape.handles.keys()) shape.handles.set(h, upTo);
    shape.handles.set(newHandle, 0);
    shape.publicHandle = newHandle;
    this.#byHandle.set(newHandle, shape);
    shape.logCount += compacted.length - prefix.length;
    this.#o.log.info({ handle: shape.handle, publicHandle: newHandle, entries: compacted.length }, 'shape log compacted');
  }

  /** Snapshot of all live shapes (for metrics, DELETE). */
  shapes(): ShapeRuntime[] {
    return [...this.#byStorage.values()];
  }
}
