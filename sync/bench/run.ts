// npm run bench (in sync/): the sync server against a throwaway Postgres, next to a raw replication
// baseline measured in the same run. Prints setup, then target vs measured.
import { cpus, totalmem, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';
import { serve } from '@hono/node-server';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { startTestStack } from '@storyforge/db/stack';
import { createSyncService } from '../src/server/create-sync-service';
import { measureRawBaseline, measureRawDrain } from './raw-baseline';
import { sleep, summarize } from './stats';

const quiet = { info: () => {}, warn: () => {}, error: (o: object, m?: string) => process.stderr.write(`${m ?? ''} ${JSON.stringify(o)}\n`) };
const out = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

interface Row_ { metric: string; target: string; measured: string; ok: boolean | null }
const results: Row_[] = [];
const record = (metric: string, target: string, measured: string, ok: boolean | null) => {
  results.push({ metric, target, measured, ok });
  out(`  ${metric}: ${measured} (target ${target})`);
};

/** Child processes for a fleet: one per 500 subscribers, at most one per core (real clients are separate devices). */
function fleetProcesses(subscribers: number): number {
  return Math.max(1, Math.min(cpus().length, Math.ceil(subscribers / 500)));
}

/** Latency from issuing a single-row INSERT to its arrival in every subscriber (in child processes). */
async function fanOut(shapeUrl: string, sql: postgres.Sql, subscribers: number, sse: boolean, writes: number, gapMs: number, idBase: number) {
  const processes = fleetProcesses(subscribers);
  const children = Array.from({ length: processes }, () =>
    fork(fileURLToPath(new URL('./subscriber-fleet.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const next = <T>(child: (typeof children)[number], kind: string) => new Promise<T>((resolve) => {
    const on = (m: { kind: string }) => {
      if (m.kind !== kind) return;
      child.off('message', on);
      resolve(m as T);
    };
    child.on('message', on);
  });
  try {
    const ready = children.map((c) => next<{ upToDate: number }>(c, 'ready'));
    let firstSub = 0;
    children.forEach((child, k) => {
      const count = Math.floor(subscribers / processes) + (k < subscribers % processes ? 1 : 0);
      child.send({ kind: 'start', url: shapeUrl, count, firstSub, sse, table: 'items', where: 'project = 1' });
      firstSub += count;
    });
    const upToDate = (await Promise.all(ready)).reduce((n, r) => n + r.upToDate, 0);
    if (upToDate < subscribers) throw new Error(`only ${upToDate}/${subscribers} subscribers caught up`);
    await sleep(Math.min(2_000, 300 + subscribers));
    const sent = new Map<number, number>();
    for (let i = 0; i < writes; i++) {
      const id = idBase + i;
      sent.set(id, performance.timeOrigin + performance.now());
      await sql`insert into items values (${id}, 1, 'x', ${i})`;
      await sleep(gapMs);
    }
    await sleep(Math.max(1_000, gapMs * 2));
    const got = children.map((c) => next<{ deliveries: Array<[number, number]> }>(c, 'deliveries'));
    for (const c of children) c.send({ kind: 'collect' });
    const deliveries = (await Promise.all(got)).flatMap((g) => g.deliveries);
    const lat = deliveries.flatMap(([id, at]) => {
      const t0 = sent.get(id);
      return t0 === undefined ? [] : [at - t0];
    });
    return { ...summarize(lat), expected: writes * subscribers, processes };
  } finally {
    for (const c of children) c.kill();
  }
}

const only = new Set(process.argv.slice(2));
const want = (section: string) => only.size === 0 || only.has(section);

async function main() {
  const started = performance.now();
  const cpu = cpus();
  out('# @storyforge/sync benchmark');
  out(`machine: ${cpu.length} x ${cpu[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
  const stack = await startTestStack();
  const admin = postgres(stack.postgres.adminUrl, { max: 1, onnotice: () => {} });
  await admin`create database bench`;
  await admin.end();
  const url = new URL(stack.postgres.adminUrl);
  url.pathname = '/bench';
  const dbUrl = url.toString();
  const sql = postgres(dbUrl, { max: 4, onnotice: () => {} });
  const dataDir = mkdtempSync(join(tmpdir(), 'sync-bench-'));
  out(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on this machine skews latency)`);
  out(`postgres: throwaway cluster (fsync off), shape logs: SQLite WAL synchronous=NORMAL in ${dataDir}`);
  try {
    out('\n## baseline: raw replication client, commit → change received (200 single-row txns)');
    const raw = want('latency') ? await measureRawBaseline(dbUrl, 200, 10) : { p50: Number.NaN, p99: Number.NaN, n: 0 };
    out(`  p50 ${fmt(raw.p50, 2)} ms, p99 ${fmt(raw.p99, 2)} ms (n=${raw.n})`);

    await sql`create table items (id int primary key, project int not null, title text not null, n int not null)`;
    await sql`insert into items select g, g % 100, 'item ' || g, g from generate_series(1, 1000) g`;
    let service = createSyncService({ databaseUrl: dbUrl, dataDir, log: quiet, slotName: 'bench_slot' });
    await service.start();
    const server = serve({ fetch: service.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const shapeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/shape`;

    out('\n## commit → change received by @electric-sql/client ShapeStream subscribers (child processes: one per 500 subscribers, at most one per core), all on one shape `project = 1`');
    const plan: Array<[number, boolean, number, number, string, number]> = [
      [1, false, 200, 10, 'p50 < 5 ms, p99 < 15 ms', 15],
      [1, true, 200, 10, 'p50 < 5 ms, p99 < 15 ms', 15],
      [100, false, 50, 100, 'p99 < 100 ms', 100],
      [100, true, 50, 100, 'p99 < 100 ms', 100],
      [2000, true, 20, 500, 'p99 < 500 ms', 500],
      [2000, false, 20, 500, 'p99 < 500 ms', 500],
    ];
    let idBase = 1_000_000;
    const maxSubs = Number(process.env.BENCH_MAX_SUBSCRIBERS ?? Infinity);
    for (const [subs, sse, writes, gap, target, p99Target] of want('latency') ? plan.filter((p) => p[0] <= maxSubs) : []) {
      const label = `latency, ${subs} subscriber${subs > 1 ? 's' : ''}, ${sse ? 'SSE' : 'long-poll'}`;
      const r = await fanOut(shapeUrl, sql, subs, sse, writes, gap, idBase).catch((e: unknown) => e as Error);
      idBase += 10_000;
      if (r instanceof Error) {
        record(label, target, `failed: ${r.message}`, false);
        continue;
      }
      const measured = `p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms (${r.n}/${r.expected} deliveries; clients in ${r.processes} process${r.processes > 1 ? 'es' : ''})`;
      const ok = r.p99 < p99Target && (subs !== 1 || r.p50 < 5) && r.n === r.expected;
      record(label, target, measured, ok);
    }

    out('\n## initial sync of a 100k-row shape (server delivery, raw HTTP following electric-offset)');
    await sql`create table big (id int primary key, label text not null, score float8, payload jsonb)`;
    await sql`insert into big select g, 'row ' || g, g / 7.0, jsonb_build_object('k', g) from generate_series(1, 100000) g`;
    if (want('initial')) {
      const t0 = performance.now();
      let offset = '-1';
      let handle = '';
      let rows = 0;
      for (;;) {
        const res = await fetch(`${shapeUrl}?table=big&offset=${offset}${handle ? `&handle=${handle}` : ''}`);
        const body = (await res.json()) as Array<{ headers: { operation?: string } }>;
        rows += body.filter((m) => m.headers.operation !== undefined).length;
        offset = res.headers.get('electric-offset') ?? '';
        handle = res.headers.get('electric-handle') ?? '';
        if (res.headers.has('electric-up-to-date')) break;
      }
      const secs = (performance.now() - t0) / 1000;
      record('initial sync, 100k rows (cold: snapshot + delivery)', '≥ 50,000 rows/s', `${fmt(rows / secs, 0)} rows/s (${rows} rows in ${fmt(secs, 2)} s)`, rows / secs >= 50_000);
      const t1 = performance.now();
      offset = '-1';
      let rows2 = 0;
      for (;;) {
        const res = await fetch(`${shapeUrl}?table=big&offset=${offset}&handle=${handle}`);
        const body = (await res.json()) as Array<{ headers: { operation?: string } }>;
        rows2 += body.filter((m) => m.headers.operation !== undefined).length;
        offset = res.headers.get('electric-offset') ?? '';
        if (res.headers.has('electric-up-to-date')) break;
      }
      const secs2 = (performance.now() - t1) / 1000;
      record('initial sync, 100k rows (warm: shape exists)', '≥ 50,000 rows/s', `${fmt(rows2 / secs2, 0)} rows/s`, rows2 / secs2 >= 50_000);
    }

    if (want('ingest')) {
      out('\n## ingest: 200k row changes (100 x 1,000-row UPDATE + 100 x 1,000-row INSERT) written while the server is down, then timed catch-up');
      const res = await fetch(`${shapeUrl}?table=big&offset=-1&where=${encodeURIComponent('id > 0')}`);
      await res.arrayBuffer();
      await sleep(500);
      server.close();
      await service.stop();
      // A second slot at the same WAL position: a plain replication client drains it afterwards (baseline).
      await sql`select pg_create_logical_replication_slot('raw_ingest_slot', 'pgoutput')`;
      for (let i = 0; i < 100; i++) await sql`update big set score = score + 1 where id > ${i * 1000} and id <= ${(i + 1) * 1000}`;
      for (let i = 0; i < 100; i++) {
        await sql`insert into big select g, 'new', 0, null from generate_series(${200_000 + i * 1000 + 1}::int, ${200_000 + (i + 1) * 1000}::int) g`;
      }
      service = createSyncService({ databaseUrl: dbUrl, dataDir, log: quiet, slotName: 'bench_slot' });
      const t0 = performance.now();
      await service.start();
      const shape = service.engine().shapes().find((s) => s.def.where === 'id > 0');
      const before = shape?.logCount ?? 0;
      while ((shape?.logCount ?? 0) - before < 200_000 && performance.now() - t0 < 120_000) await sleep(2);
      const secs = (performance.now() - t0) / 1000;
      const n = (shape?.logCount ?? 0) - before;
      record('ingest (decode + route + durable in shape log, one shape)', '≥ 20,000 changes/s', `${fmt(n / secs, 0)} changes/s (${n} changes in ${fmt(secs, 2)} s incl. reconnect)`, n / secs >= 20_000);
      const drain = await measureRawDrain(dbUrl, 'raw_ingest_slot', 'storyforge_sync', 200_000);
      await sql`select pg_drop_replication_slot('raw_ingest_slot')`;
      record('ingest baseline: plain replication client draining the same WAL', '(reference)', `${fmt(drain.seen / drain.secs, 0)} changes/s (${drain.seen} in ${fmt(drain.secs, 2)} s)`, null);
    }

    if (server.listening) server.close();
    await service.stop();
    out('\n## summary');
    out('| metric | target | measured | ok |');
    out('|---|---|---|---|');
    out(`| baseline: raw replication client commit→receive | (reference; peer engine p50 ~10 ms / p99 ~21 ms) | p50 ${fmt(raw.p50, 2)} ms, p99 ${fmt(raw.p99, 2)} ms | |`);
    for (const r of results) out(`| ${r.metric} | ${r.target} | ${r.measured} | ${r.ok === null ? '' : r.ok ? 'yes' : 'NO'} |`);
    out(`\ntotal bench time ${fmt((performance.now() - started) / 1000, 0)} s`);
  } finally {
    await sql.end({ timeout: 1 });
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
