// Baseline: a plain logical replication client (pg-logical-replication + pgoutput, no shape logic):
// time from issuing an autocommit INSERT to the change arriving on the replication stream.
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { LogicalReplicationService } from 'pg-logical-replication';
import { decodePgOutput, type PgOutputMessage } from '../src/server/replication/pgoutput-decoder';
import { sleep, summarize } from './stats';

export async function measureRawBaseline(url: string, samples: number, gapMs: number) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  await sql`create table if not exists raw_bench (id int primary key, v int)`;
  await sql`create publication raw_bench_pub for table raw_bench`;
  await sql`select pg_create_logical_replication_slot('raw_bench_slot', 'pgoutput')`;
  const sent = new Map<number, number>();
  const lat: number[] = [];
  const service = new LogicalReplicationService({ connectionString: url }, { acknowledge: { auto: true, timeoutSeconds: 1 } });
  service.on('data', (_lsn: string, msg: PgOutputMessage) => {
    if (msg.tag !== 'insert') return;
    const id = Number(msg.newTuple[0]);
    const t0 = sent.get(id);
    if (t0 !== undefined) lat.push(performance.now() - t0);
  });
  const plugin = {
    options: {},
    name: 'pgoutput',
    start: (client: { query(q: string): Promise<unknown> }, slot: string, lsn: string) =>
      client.query(`START_REPLICATION SLOT "${slot}" LOGICAL ${lsn} (proto_version '1', publication_names 'raw_bench_pub')`),
    parse: (b: Buffer) => decodePgOutput(b),
  };
  void service.subscribe(plugin as never, 'raw_bench_slot').catch(() => {});
  await new Promise<void>((r) => service.once('start', () => r()));
  for (let i = 1; i <= samples; i++) {
    sent.set(i, performance.now());
    await sql`insert into raw_bench values (${i}, ${i})`;
    await sleep(gapMs);
  }
  await sleep(200);
  await service.stop();
  await sql`select pg_drop_replication_slot('raw_bench_slot')`;
  await sql.end();
  return summarize(lat);
}

/** Baseline for ingest: how fast a plain replication client drains `expected` row changes from `slot`. */
export async function measureRawDrain(url: string, slot: string, publication: string, expected: number) {
  let seen = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  const service = new LogicalReplicationService({ connectionString: url }, { acknowledge: { auto: true, timeoutSeconds: 1 } });
  service.on('data', (_lsn: string, msg: PgOutputMessage) => {
    if (msg.tag === 'insert' || msg.tag === 'update' || msg.tag === 'delete') seen++;
    if (seen >= expected) done();
  });
  const plugin = {
    options: {},
    name: 'pgoutput',
    start: (client: { query(q: string): Promise<unknown> }, s: string, lsn: string) =>
      client.query(`START_REPLICATION SLOT "${s}" LOGICAL ${lsn} (proto_version '1', publication_names '${publication}')`),
    parse: (b: Buffer) => decodePgOutput(b),
  };
  const t0 = performance.now();
  void service.subscribe(plugin as never, slot).catch(() => {});
  await Promise.race([finished, sleep(120_000)]);
  const secs = (performance.now() - t0) / 1000;
  await service.stop();
  return { seen, secs };
}
