import postgres from 'postgres';
import type { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { createSyncApp } from './http/create-app';
import { createShapeHandler } from './http/shape-handler';
import { createSyncMetrics } from './metrics';
import { ensurePublication, ensureSlot } from './replication/publication';
import { ReplicationConsumer } from './replication/replication-consumer';
import type { CompileWhere } from './shapes/row-filter';
import { compileWhere } from './where/compile-where';
import type { ScopePolicy } from './shapes/scope-policy';
import { ShapeEngine, type EngineLogger } from './shapes/shape-engine';
import { wake } from './shapes/shape-runtime';
import { ShapeStore } from './store/shape-store';

export interface SyncServiceOptions {
  databaseUrl: string;
  /** Directory of the durable shape-log store (one SQLite file). */
  dataDir: string;
  log: EngineLogger;
  registry?: Registry;
  /** Auth mode: without it the server is in dev mode (any table, DELETE /v1/shape). */
  authenticate?: (req: Request) => Promise<{ userId: string } | null>;
  /** Scope policy applied in auth mode (sync/src/server/scope). */
  scope?: ScopePolicy;
  /** Where-clause compiler; defaults to sync/src/server/where (safe SQL subset). */
  compileWhere?: CompileWhere;
  slotName?: string;
  publicationName?: string;
  /** Long-poll hold time (default 20 s). */
  liveTimeoutMs?: number;
  sseKeepAliveMs?: number;
  sseMaxMs?: number;
  snapshotPageSize?: number;
  logPageSize?: number;
  maxLogEntries?: number;
  /** Warn when the slot retains more WAL than this (default 1 GiB). Bound it hard with max_slot_wal_keep_size. */
  slotLagWarnBytes?: number;
  slotLagPollMs?: number;
  /** SQLite synchronous mode: NORMAL survives process crashes, FULL also power loss. */
  synchronous?: 'NORMAL' | 'FULL';
}

export interface SyncService {
  app: Hono;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Test/bench hook: the engine (shape count, processed LSN). */
  engine(): ShapeEngine;
}

// Output functions run with these session settings, on the snapshot connection AND in the walsender,
// so snapshot rows and streamed changes carry byte-identical text forms.
const TEXT_FORM_SETTINGS = {
  TimeZone: 'UTC',
  DateStyle: 'ISO',
  IntervalStyle: 'postgres',
  extra_float_digits: '1',
  bytea_output: 'hex',
} as const;

/**
 * The sync server: logical replication → durable shape logs → Electric-compatible `GET /v1/shape`.
 *
 * @example
 *   const sync = createSyncService({ databaseUrl, dataDir: './.data/sync', log: pino() });
 *   await sync.start();
 *   serve({ fetch: sync.app.fetch, port: 3000 });
 */
export function createSyncService(options: SyncServiceOptions): SyncService {
  const slotName = options.slotName ?? 'storyforge_sync';
  const publicationName = options.publicationName ?? 'storyforge_sync';
  const log = options.log;
  const metrics = createSyncMetrics(options.registry);
  const sql = postgres(options.databaseUrl, { max: 4, onnotice: () => {} });
  const snapshotSql = postgres(options.databaseUrl, { max: 4, onnotice: () => {}, connection: TEXT_FORM_SETTINGS });
  const store = new ShapeStore({ dataDir: options.dataDir, ...(options.synchronous ? { synchronous: options.synchronous } : {}) });
  let ready = false;
  let stopped = false;
  let lagTimer: NodeJS.Timeout | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let consumer: ReplicationConsumer | undefined;

  const engine = new ShapeEngine({
    store,
    sql,
    snapshotSql,
    publicationName,
    compileWhere: options.compileWhere ?? compileWhere,
    scope: options.scope,
    log,
    snapshotPageSize: options.snapshotPageSize ?? 10_000,
    maxLogEntries: options.maxLogEntries ?? 200_000,
    acknowledge: (lsn) => consumer?.acknowledge(lsn),
    onIngest: (n, commitTime) => {
      metrics.changesIngested.inc(n);
      // Postgres timestamps count microseconds from 2000-01-01 UTC.
      if (commitTime !== null) metrics.replicationLagSeconds.set(Math.max(0, (Date.now() - 946_684_800_000 - Number(commitTime / 1000n)) / 1000));
    },
  });

  const handleShape = createShapeHandler({
    engine,
    store,
    authenticate: options.authenticate,
    isReady: () => ready,
    liveTimeoutMs: options.liveTimeoutMs ?? 20_000,
    sseKeepAliveMs: options.sseKeepAliveMs ?? 20_000,
    sseMaxMs: options.sseMaxMs ?? 60_000,
    logPageSize: options.logPageSize ?? 10_000,
    onLive: (d) => metrics.liveConnections.inc(d),
  });
  const app = createSyncApp({ handleShape, engine, isReady: () => ready, devMode: options.authenticate === undefined, log });

  const replicationUrl = (() => {
    const url = new URL(options.databaseUrl);
    url.searchParams.set('options', Object.entries(TEXT_FORM_SETTINGS).map(([k, v]) => `-c ${k}=${v}`).join(' '));
    return url.toString();
  })();

  let reconnectAttempt = 0;
  /** Reconnects with capped, jittered backoff until it works or the service stops. */
  function scheduleReconnect(): void {
    if (stopped) return;
    const delay = Math.min(5_000, 200 * 2 ** reconnectAttempt++) * (0.5 + Math.random() / 2);
    restartTimer = setTimeout(() => {
      // Check the slot first: a lost slot can never be streamed from again, retrying it would loop forever.
      ensureUsableSlot().then(connect).then(
        () => {
          reconnectAttempt = 0;
          log.info({ slotName }, 'replication reconnected');
        },
        (e: unknown) => {
          log.warn({ err: e }, 'replication reconnect failed; retrying');
          scheduleReconnect();
        },
      );
    }, delay);
  }

  async function connect(): Promise<void> {
    const c = new ReplicationConsumer({
      connectionString: replicationUrl,
      slotName,
      publicationName,
      onTransaction: (txn) => engine.ingest(txn),
      onIdle: (walEnd) => engine.idle(walEnd),
      onError: (error) => {
        if (stopped || consumer !== c) return;
        log.error({ err: error }, 'replication stream failed; reconnecting');
        consumer = undefined;
        void c.stop().catch(() => {});
        scheduleReconnect();
      },
    });
    consumer = c;
    try {
      await c.start(0n);
    } catch (error) {
      consumer = undefined;
      await c.stop().catch(() => {});
      throw error;
    }
  }

  /** The scope policy's observed state (project owners) missed what the lost slot carried: re-read it. */
  let scopeStale = false;

  /**
   * A slot that fell behind max_slot_wal_keep_size is invalidated by Postgres (wal_status 'lost';
   * START_REPLICATION then fails with "can no longer get changes from replication slot"), and a slot
   * someone dropped is gone with the same effect: the changes it held are lost, so no shape log can be
   * proven complete. Recreate the slot, then retire every shape (clients get 409 and re-snapshot, which
   * includes every change the old slot lost), instead of retrying a dead slot forever. Runs at start
   * (the slot may have been lost while the server was down) and before every reconnect.
   */
  async function ensureUsableSlot(): Promise<void> {
    const [row] = await sql<{ wal_status: string | null }[]>`select wal_status from pg_replication_slots where slot_name = ${slotName}`;
    if (row === undefined || row.wal_status === 'lost') {
      const reason = row === undefined ? 'missing' : 'lost';
      const firstStart = row === undefined && engine.shapeCount === 0 && engine.processedLsn === 0;
      if (firstStart) log.info({ slotName }, 'creating replication slot');
      else {
        log.error(
          { slotName, walStatus: reason, shapes: engine.shapeCount },
          reason === 'lost'
            ? 'replication slot lost (it fell behind max_slot_wal_keep_size); recreating it and resetting every shape'
            : 'replication slot missing; recreating it and resetting every shape',
        );
      }
      if (row !== undefined) {
        await sql`select pg_drop_replication_slot(${slotName})`.catch((e: { code?: string }) => {
          if (e.code !== '42704') throw e; // undefined_object: a racing server already dropped it
        });
      }
      await ensureSlot(sql, slotName);
      if (!firstStart) metrics.slotRecreated.inc({ reason });
      // Retire only once the new slot exists: a shape created from here on snapshots after the slot's
      // start, so the new stream continues it without a gap.
      for (const shape of engine.shapes()) engine.retire(shape);
      scopeStale = true;
    }
    if (scopeStale && options.scope?.load !== undefined) {
      await options.scope.load(sql, { publicationName });
    }
    scopeStale = false;
  }

  async function pollSlotLag(): Promise<void> {
    const [row] = await sql<{ lag: string | null; wal_status: string | null; safe: string | null }[]>`
      select pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::text as lag, wal_status,
             safe_wal_size::text as safe
      from pg_replication_slots where slot_name = ${slotName}`;
    const lag = Number(row?.lag ?? 0);
    metrics.slotLagBytes.set(lag);
    // NULL: unlimited (max_slot_wal_keep_size = -1) or already lost; the two are told apart by wal_status.
    if (row !== undefined) metrics.slotSafeWalBytes.set(row.safe === null ? (row.wal_status === 'lost' ? 0 : -1) : Number(row.safe));
    metrics.shapes.set(engine.shapeCount);
    if (lag > (options.slotLagWarnBytes ?? 1024 ** 3)) {
      log.warn({ slotName, lagBytes: lag }, 'replication slot retains a lot of WAL; set max_slot_wal_keep_size to bound it');
    }
    if (row?.wal_status === 'unreserved') {
      log.warn({ slotName, lagBytes: lag }, 'replication slot is past max_slot_wal_keep_size and will be invalidated at the next checkpoint unless it catches up');
    }
  }

  return {
    app,
    engine: () => engine,
    async start() {
      await ensurePublication(sql, publicationName);
      await engine.load();
      // The scope's state is read after the slot is known to exist, so the stream covers every change
      // after the read (ensureUsableSlot loads it).
      scopeStale = true;
      await ensureUsableSlot();
      await connect();
      ready = true;
      lagTimer = setInterval(() => void pollSlotLag().catch((e: unknown) => log.warn({ err: e }, 'slot lag poll failed')), options.slotLagPollMs ?? 10_000);
      lagTimer.unref();
      log.info({ slotName, publicationName, shapes: engine.shapeCount, cursor: engine.processedLsn }, 'sync service started');
    },
    async stop() {
      stopped = true;
      ready = false;
      clearInterval(lagTimer);
      clearTimeout(restartTimer);
      await consumer?.stop().catch(() => {});
      engine.flush();
      for (const shape of engine.shapes()) wake(shape);
      await Promise.all([sql.end({ timeout: 1 }), snapshotSql.end({ timeout: 1 })]);
      store.close();
    },
  };
}
