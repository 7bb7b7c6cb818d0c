// Durable shape logs in one SQLite file (better-sqlite3 12.x: 13 needs Node 22 and crashes on Node 20).
// Durability: WAL mode + synchronous=NORMAL survives a kill -9 of this process (a committed SQLite
// transaction is in the WAL file before commit returns); it does not survive power loss — pass
// `synchronous: 'FULL'` for that. The replication cursor is written in the same SQLite transaction as
// the log entries it covers, and the slot is only acknowledged after that commit (atomic cursor + data).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export interface StoredShape {
  handle: string;
  defKey: string;
  /** JSON of the ShapeDefinition. */
  definition: string;
  /** JSON of the electric-schema of the shape when it was created (detects table changes on restart). */
  schema: string;
  status: 'creating' | 'ready';
  pageCount: number;
  /** snapshot-end control message JSON. */
  snapshotEnd: string;
  /** WAL insert position read inside the snapshot (see ShapeRuntime.snapshotLsn); 0 = none. */
  snapshotLsn: number;
  createdAt: number;
}

export interface LogEntry {
  handle: string;
  lsn: number;
  op: number;
  body: string;
}

export interface ShapeStoreOptions {
  dataDir: string;
  synchronous?: 'NORMAL' | 'FULL';
}

const SCHEMA = `
create table if not exists meta (key text primary key, value text not null) without rowid;
create table if not exists shapes (
  handle text primary key, def_key text not null, definition text not null, schema text not null,
  status text not null, page_count integer not null, snapshot_end text not null, created_at integer not null,
  snapshot_lsn integer not null default 0
) without rowid;
create table if not exists snapshot_pages (handle text not null, page integer not null, body text not null,
  primary key (handle, page)) without rowid;
create table if not exists log (handle text not null, lsn integer not null, op integer not null, body text not null,
  primary key (handle, lsn, op)) without rowid;
create table if not exists handles (public_handle text primary key, storage_handle text not null, min_lsn integer not null) without rowid;
`;

export class ShapeStore {
  readonly db: Database.Database;
  readonly #append: Database.Statement;
  readonly #setCursor: Database.Statement;
  readonly #readLog: Database.Statement;
  readonly #readTxn: Database.Statement;
  readonly #getPage: Database.Statement;
  readonly #appendBatch: (entries: readonly LogEntry[], cursor: number | null) => void;

  constructor(options: ShapeStoreOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    this.db = new Database(join(options.dataDir, 'shape-logs.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    this.db.exec(SCHEMA);
    // Stores written before snapshot_lsn existed: their shapes get 0 (no snapshot filter, as before).
    const columns = this.db.prepare('select name from pragma_table_info(?)').pluck().all('shapes') as string[];
    if (!columns.includes('snapshot_lsn')) this.db.exec('alter table shapes add column snapshot_lsn integer not null default 0');
    this.#append = this.db.prepare('insert or ignore into log (handle, lsn, op, body) values (?, ?, ?, ?)');
    this.#setCursor = this.db.prepare(`insert into meta (key, value) values ('cursor', ?)
      on conflict (key) do update set value = excluded.value`);
    this.#readLog = this.db.prepare('select lsn, op, body from log where handle = ? and lsn > ? order by lsn, op limit ?');
    this.#readTxn = this.db.prepare('select lsn, op, body from log where handle = ? and lsn = ? and op > ? order by op');
    this.#getPage = this.db.prepare('select body from snapshot_pages where handle = ? and page = ?').pluck();
    this.#appendBatch = this.db.transaction((entries: readonly LogEntry[], cursor: number | null) => {
      for (const e of entries) this.#append.run(e.handle, e.lsn, e.op, e.body);
      if (cursor !== null) this.#setCursor.run(String(cursor));
    });
  }

  /** Commit LSN of the last replication transaction whose changes are in the logs (0 if none). */
  cursor(): number {
    const row = this.db.prepare("select value from meta where key = 'cursor'").pluck().get() as string | undefined;
    return row === undefined ? 0 : Number(row);
  }

  /** Appends entries and advances the cursor in one transaction. */
  append(entries: readonly LogEntry[], cursor: number | null): void {
    this.#appendBatch(entries, cursor);
  }

  /**
   * Entries of a shape after `afterLsn`, at most ~`limit`, never splitting a transaction (a response
   * that ends mid-transaction would make the SSE resume offset skip the rest of it).
   */
  readLog(handle: string, afterLsn: number, limit: number): LogEntry[] {
    const rows = this.#readLog.all(handle, afterLsn, limit) as { lsn: number; op: number; body: string }[];
    const last = rows[rows.length - 1];
    if (rows.length === limit && last !== undefined) {
      rows.push(...(this.#readTxn.all(handle, last.lsn, last.op) as typeof rows));
    }
    return rows.map((r) => ({ handle, lsn: r.lsn, op: r.op, body: r.body }));
  }

  logCount(handle: string): number {
    return this.db.prepare('select count(*) from log where handle = ?').pluck().get(handle) as number;
  }

  lastLogLsn(handle: string): number {
    return (this.db.prepare('select max(lsn) from log where handle = ?').pluck().get(handle) as number | null) ?? 0;
  }

  createShape(shape: StoredShape): void {
    this.db
      .prepare(`insert into shapes (handle, def_key, definition, schema, status, page_count, snapshot_end, snapshot_lsn, created_at)
        values (@handle, @defKey, @definition, @schema, @status, @pageCount, @snapshotEnd, @snapshotLsn, @createdAt)`)
      .run(shape);
  }

  putSnapshotPage(handle: string, page: number, body: string): void {
    this.db.prepare('insert or replace into snapshot_pages (handle, page, body) values (?, ?, ?)').run(handle, page, body);
  }

  snapshotPage(handle: string, page: number): string | undefined {
    return this.#getPage.get(handle, page) as string | undefined;
  }

  /** Marks a shape's snapshot complete and writes the changes captured while it was taken, atomically. */
  markReady(handle: string, pageCount: number, snapshotEnd: string, snapshotLsn: number, captured: readonly LogEntry[]): void {
    this.db.transaction(() => {
      for (const e of captured) this.#append.run(e.handle, e.lsn, e.op, e.body);
      this.db
        .prepare("update shapes set status = 'ready', page_count = ?, snapshot_end = ?, snapshot_lsn = ? where handle = ?")
        .run(pageCount, snapshotEnd, snapshotLsn, handle);
    })();
  }

  shapes(): StoredShape[] {
    return this.db
      .prepare(`select handle, def_key as defKey, definition, schema, status, page_count as pageCount,
        snapshot_end as snapshotEnd, snapshot_lsn as snapshotLsn, created_at as createdAt from shapes`)
      .all() as StoredShape[];
  }

  /** Public handles (the current one has min_lsn 0; older ones only serve offsets at/after min_lsn). */
  handles(storageHandle: string): Array<{ publicHandle: string; minLsn: number }> {
    return this.db
      .prepare('select public_handle as publicHandle, min_lsn as minLsn from handles where storage_handle = ? order by min_lsn')
      .all(storageHandle) as Array<{ publicHandle: string; minLsn: number }>;
  }

  addHandle(publicHandle: string, storageHandle: string): void {
    this.db.prepare('insert into handles (public_handle, storage_handle, min_lsn) values (?, ?, 0)').run(publicHandle, storageHandle);
  }

  /**
   * Replaces the log prefix up to `upToLsn` by its compaction and hands out `newHandle`: clients of the
   * older handles past `upToLsn` keep going; those behind it get 409 (their offsets no longer exist).
   */
  compact(storageHandle: string, upToLsn: number, compacted: readonly LogEntry[], newHandle: string): void {
    this.db.transaction(() => {
      this.db.prepare('delete from log where handle = ? and lsn <= ?').run(storageHandle, upToLsn);
      for (const e of compacted) this.#append.run(e.handle, e.lsn, e.op, e.body);
      this.db.prepare('update handles set min_lsn = ? where storage_handle = ?').run(upToLsn, storageHandle);
      this.db.prepare('insert into handles (public_handle, storage_handle, min_lsn) values (?, ?, 0)').run(newHandle, storageHandle);
    })();
  }

  /** Commit LSN of the `index`-th entry (0-based) of a shape's log. */
  lsnAt(handle: string, index: number): number | undefined {
    return this.db.prepare('select lsn from log where handle = ? order by lsn, op limit 1 offset ?').pluck().get(handle, index) as number | undefined;
  }

  /** The whole log of a shape up to `upToLsn` (for compaction). */
  logPrefix(handle: string, upToLsn: number): LogEntry[] {
    return (this.db.prepare('select lsn, op, body from log where handle = ? and lsn <= ? order by lsn, op').all(handle, upToLsn) as Array<{ lsn: number; op: number; body: string }>)
      .map((r) => ({ handle, lsn: r.lsn, op: r.op, body: r.body }));
  }

  deleteShape(handle: string): void {
    this.db.transaction(() => {
      this.db.prepare('delete from handles where storage_handle = ?').run(handle);
      this.db.prepare('delete from log where handle = ?').run(handle);
      this.db.prepare('delete from snapshot_pages where handle = ?').run(handle);
      this.db.prepare('delete from shapes where handle = ?').run(handle);
    })();
  }

  close(): void {
    this.db.close();
  }
}
