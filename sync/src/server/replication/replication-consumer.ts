// Reads the slot with pg-logical-replication (connection, START_REPLICATION, copy-both framing) and our
// own pgoutput decoder, assembles transactions and hands each committed one to `onTransaction`.
// The library's auto-acknowledge is OFF: the slot's flush position only advances through `acknowledge()`,
// which the service calls after the transaction is durable in the shape logs.
import type { Client } from 'pg';
import { LogicalReplicationService } from 'pg-logical-replication';
import { decodePgOutput, type PgOutputMessage, type RelationMessage, type Tuple } from './pgoutput-decoder';
import { formatLsn, parseLsn } from './lsn';

export interface RowChange {
  kind: 'insert' | 'update' | 'delete';
  relation: RelationMessage;
  /** New tuple (insert/update). Unchanged TOAST values are `undefined`. */
  newTuple: Tuple | null;
  /** Old tuple (update/delete) — complete with REPLICA IDENTITY FULL, key-only otherwise. */
  oldTuple: Tuple | null;
  oldIsKeyOnly: boolean;
}

export interface Transaction {
  xid: number;
  commitLsn: number;
  endLsn: bigint;
  /** Commit time, microseconds since 2000-01-01 UTC (Postgres epoch). */
  commitTime: bigint;
  changes: RowChange[];
  truncated: RelationMessage[];
  /** Relations whose definition was (re)sent in this transaction. */
  relations: RelationMessage[];
}

export interface ReplicationConsumerOptions {
  connectionString: string;
  slotName: string;
  publicationName: string;
  onTransaction(txn: Transaction): void;
  /** Called on keepalives: the consumer may acknowledge `walEnd` when nothing is in flight. */
  onIdle(walEnd: bigint): void;
  onError(error: unknown): void;
}

/** pgoutput protocol v1 with our raw-text decoder. */
// Structurally an AbstractPlugin (the package does not export the base class).
class RawPgoutputPlugin {
  constructor(readonly options: { publicationName: string }) {}
  get name(): string {
    return 'pgoutput';
  }
  start(client: Client, slotName: string, lastLsn: string): Promise<unknown> {
    const pub = this.options.publicationName.replaceAll("'", "''");
    const slot = slotName.replaceAll('"', '""');
    return client.query(`START_REPLICATION SLOT "${slot}" LOGICAL ${lastLsn} (proto_version '1', publication_names '${pub}')`);
  }
  parse(buffer: Buffer): PgOutputMessage {
    return decodePgOutput(buffer);
  }
}

export class ReplicationConsumer {
  readonly #options: ReplicationConsumerOptions;
  readonly #service: LogicalReplicationService;
  readonly #relations = new Map<number, RelationMessage>();
  #current: Transaction | null = null;
  #running = false;
  #failStart: (e: unknown) => void = (e) => this.#options.onError(e);

  constructor(options: ReplicationConsumerOptions) {
    this.#options = options;
    this.#service = new LogicalReplicationService(
      { connectionString: options.connectionString },
      { acknowledge: { auto: false, timeoutSeconds: 0 } },
    );
    this.#service.on('data', (_lsn: string, msg: PgOutputMessage) => this.#onMessage(msg));
    this.#service.on('heartbeat', (lsn: string, _ts: number, _shouldRespond: boolean) => {
      if (this.#current === null) this.#options.onIdle(parseLsn(lsn));
    });
    this.#service.on('error', (e: Error) => this.#failStart(e));
  }

  /**
   * Starts streaming; resolves once the replication connection is established and rejects if it could
   * not be (e.g. the slot is missing or in use). Failures after that go to `onError`.
   */
  async start(fromLsn: bigint): Promise<void> {
    this.#running = true;
    this.#current = null;
    let streaming = false;
    let rejectStart: (e: unknown) => void = () => {};
    const started = new Promise<void>((resolve, reject) => {
      rejectStart = reject;
      this.#service.once('start', () => {
        streaming = true;
        resolve();
      });
    });
    const fail = (e: unknown) => {
      if (!streaming) rejectStart(e);
      else if (this.#running) this.#options.onError(e);
    };
    this.#failStart = fail;
    const plugin = new RawPgoutputPlugin({ publicationName: this.#options.publicationName });
    // subscribe() settles when streaming ends (or could not start).
    this.#service.subscribe(plugin, this.#options.slotName, formatLsn(fromLsn)).then(
      () => fail(new Error('replication stream ended')),
      (e: unknown) => fail(e),
    );
    await started;
  }

  /** Reports `lsn` as flushed: Postgres may recycle WAL before it and never resends what ends at/before it. */
  acknowledge(lsn: bigint): void {
    // The library sends lsn + 1 (it expects the last byte received); we hold an end position already.
    if (lsn > 0n) void this.#service.acknowledge(formatLsn(lsn - 1n));
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#service.stop();
  }

  #onMessage(msg: PgOutputMessage): void {
    switch (msg.tag) {
      case 'begin':
        this.#current = { xid: msg.xid, commitLsn: Number(msg.finalLsn), endLsn: 0n, commitTime: msg.commitTime, changes: [], truncated: [], relations: [] };
        return;
      case 'relation':
        this.#relations.set(msg.relationId, msg);
        this.#current?.relations.push(msg);
        return;
      case 'insert':
      case 'update':
      case 'delete': {
        const relation = this.#relations.get(msg.relationId);
        if (relation === undefined || this.#current === null) return;
        this.#current.changes.push({
          kind: msg.tag,
          relation,
          newTuple: msg.tag === 'delete' ? null : msg.newTuple,
          oldTuple: msg.tag === 'insert' ? null : msg.oldTuple,
          oldIsKeyOnly: msg.tag === 'insert' ? false : msg.oldIsKeyOnly,
        });
        return;
      }
      case 'truncate':
        for (const id of msg.relationIds) {
          const relation = this.#relations.get(id);
          if (relation !== undefined) this.#current?.truncated.push(relation);
        }
        return;
      case 'commit': {
        const txn = this.#current;
        this.#current = null;
        if (txn === null) return;
        txn.endLsn = msg.endLsn;
        this.#options.onTransaction(txn);
        return;
      }
      case 'other':
        return;
    }
  }
}
