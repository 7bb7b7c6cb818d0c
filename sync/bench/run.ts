// npm run bench (in sync/): the sync server against a throwaway Postgres, next to a raw replication
// baseline measured in the same run. Prints setup, then target vs measured.
import { cpus, totalmem, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';
import { serve } from '@hono/node-server';
import { ShapeStream, isChangeMessage, type Row } from '@electric-sql/client';
import { startTestStack } from '@storyforge/db/stack';
import { createSyncService } from '../src/server/create-sync-service';
import { measureRawBaseline } from './raw-baseline';
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

async function fanOut(shapeUrl: string, sql: postgres.Sql, subscribers: number, writes: number, gapMs: number, idBase: number) {
  const sent = new Map<number, number>();
  const lat: number[] = [];
  const streams: ShapeStream<Row>[] = [];
  for (let i = 0; i < subscribers; i++) {
    const stream = new ShapeStream<Row>({ url: shapeUrl, params: { table: 'items', where: 'project = 1' } });
    stream.subscribe((msgs) => {
      const now = performance.now();
      for (const m of msgs) {
        if (!isChangeMessage(m)) continue;
        const t0 = sent.get(Number(m.value.id));
        if (t0 !== undefined) lat.push(now - t0);
      }
    });
    streams.push(stream);
    if (i % 100 === 99) await sleep(20);
  }
  const t = performance.now();
  while (!streams.every((s) => s.isUpToDate)) {
    if (performance.now() - t > 120_000) throw new Error('subscribers did not catch up');
    await sleep(50);
  }
  await sleep(Math.min(2_000, 200 + subscribers));
  for (let i = 0; i < writes; i++) {
    const id = idBase + i;
    sent.set(id, performance.now());
    await sql`insert into items values (${id}, 1, 'x', ${i})`;
    await sleep(gapMs);
  }
  const deadline = performance.now() + 30_000;
  while (lat.length < writes * subscribers && performance.now() < deadline) await sleep(50);
  for (const s of streams) s.unsubscribeAll();
  const s = summarize(lat);
  return { ...s, expected: writes * subscribers };
}

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
  out(`postgres: throwaway cluster (fsync off), shape logs: SQLite WAL synchronous=NORMAL in ${dataDir}`);
  try {
    out('\n## baseline: raw replication client, commit → change received (200 single-row txns)');
    const raw = await measureRawBaseline(dbUrl, 200, 10);
    out(`  p50 ${fmt(raw.p50, 2)} ms, p99 ${fmt(raw.p99, 2)} ms (n=${raw.n})`);

    await sql`create table items (id int primary key, project int not null, title text not null, n int not null)`;
    await sql`insert into items select g, g % 100, 'item ' || g, g from generate_series(1, 1000) g`;
    const service = createSyncService({ databaseUrl: dbUrl, dataDir, log: quiet, slotName: 'bench_slot' });
    await service.start();
    const server = serve({ fetch: service.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const shapeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/shape`;

    out('\n## commit → change received by @electric-sql/client ShapeStream (long-poll), same shape per subscriber');
    const plan: Array<[number, number, number, string, number]> = [
      [1, 200, 10, 'p50 < 5 ms, p99 < 15 ms', 15],
      [100, 50, 100, 'p99 < 100 ms', 100],
      [2000, 20, 500, 'p99 < 500 ms', 500],
    ];
    let idBase = 1_000_000;
    for (const [subs, writes, gap, target, p99Target] of plan) {
      const r = await fanOut(shapeUrl, sql, subs, writes, gap, idBase);
      idBase += 10_000;
      const measured = `p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms (${r.n}/${r.expected} deliveries)`;
      const ok = r.p99 < p99Target && (subs !== 1 || r.p50 < 5) && r.n === r.expected;
      record(`latency, ${subs} subscriber${subs > 1 ? 's' : ''}`, target, measured, ok);
    }

    out('\n## initial sync of a 100k-row shape (server delivery, raw HTTP following electric-offset)');
    await sql`create table big (id int primary key, label text not null, score float8, payload jsonb)`;
    await sql`insert into big select g, 'row ' || g, g / 7.0, jsonb_build_object('k', g) from generate_series(1, 100000) g`;
    {
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

    out('\n## ingest: 200k row changes in 1,000-row transactions, one shape on the table');
    {
      const res = await fetch(`${shapeUrl}?table=big&offset=-1&where=${encodeURIComponent('id > 0')}`);
      await res.arrayBuffer();
      const engine = service.engine();
      const shape = engine.shapes().find((s) => s.def.where === 'id > 0');
      await sleep(500);
      const before = shape?.logCount ?? 0;
      const t0 = performance.now();
      for (let i = 0; i < 100; i++) {
        await sql`update big set score = score + 1 where id > ${i * 1000} and id <= ${(i + 1) * 1000}`;
      }
      for (let i = 0; i < 100; i++) {
        await sql`insert into big select g, 'new', 0, null from generate_series(${200_000 + i * 1000 + 1}::int, ${200_000 + (i + 1) * 1000}::int) g`;
      }
      const written = performance.now();
      while ((shape?.logCount ?? 0) - before < 200_000 && performance.now() - t0 < 120_000) await sleep(5);
      const secs = (performance.now() - t0) / 1000;
      const n = (shape?.logCount ?? 0) - before;
      record('ingest (routed + durable in shape log)', '≥ 20,000 changes/s', `${fmt(n / secs, 0)} changes/s (${n} changes in ${fmt(secs, 2)} s; Postgres writes took ${fmt((written - t0) / 1000, 2)} s)`, n / secs >= 20_000);
    }

    server.close();
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
