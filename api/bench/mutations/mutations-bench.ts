// npm run bench (in api/): mutation API round trip, big batch, and 16 concurrent writers on conflicting
// rows, over real HTTP on loopback against a throwaway Postgres. Prints setup, target vs measured.
import { randomUUID } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { migrateUp } from '@storyforge/db';
import { startTestStack } from '@storyforge/db/stack';
import { generateNKeysBetween } from 'fractional-indexing';
import postgres from 'postgres';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createApiApp } from '../../src/app';
import { listen } from '../../src/testing/http-server';

const SINGLE_ROUNDS = Number(process.env.BENCH_SINGLE ?? 2000);
const BATCH_SIZE = 500;
const BATCH_ROUNDS = 6;
const CLIENTS = 16;
const CONFLICT_ROWS = 20;
const CLIENT_BATCH = Number(process.env.BENCH_CLIENT_BATCH ?? 50);
const THROUGHPUT_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

const out = (line: string) => process.stdout.write(`${line}\n`);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const ms = (x: number) => `${x.toFixed(2)} ms`;
let wall = Date.now();
const hlc = (client: string) => `${String(++wall).padStart(15, '0')}-000000-${client}`;

/** Runs the mutation benchmark on its own throwaway stack and prints the report to stdout. */
export async function runMutationsBench(): Promise<void> {
  const stack = await startTestStack();
  try {
    const admin = postgres(stack.postgres.adminUrl, { max: 1, onnotice: () => {} });
    await admin`create database bench`;
    await admin.end();
    const url = new URL(stack.postgres.adminUrl);
    url.pathname = '/bench';
    await migrateUp({ databaseUrl: url.toString(), log: () => {} });
    const sql = postgres(url.toString(), { max: 20, onnotice: () => {} });
    const [{ version }] = (await sql`select current_setting('server_version') as version`) as unknown as [{ version: string }];
    const app = createApiApp({ sql, logger: pino({ level: 'silent' }), registry: new Registry(), auth: { jwtSecret: 'bench-secret-0123456789abcdef', devMode: true }, rateLimit: false });
    const server = await listen(app.fetch);

    out('# @storyforge/api mutation benchmark');
    out(`load average before: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    out(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, Postgres ${version} (fsync off, throwaway), HTTP over 127.0.0.1`);

    const login = await (await fetch(`${server.url}/v1/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@example.test' }) })).json() as { token: string };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${login.token}` };
    const post = async (clientId: string, mutations: unknown[]) => {
      const res = await fetch(`${server.url}/v1/mutations`, { method: 'POST', headers, body: JSON.stringify({ clientId, mutations }) });
      const body = (await res.json()) as { results: { status: string }[] };
      if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body)}`);
      return body.results;
    };
    const update = (table: string, id: string, fields: Record<string, unknown>, client: string) => ({ mutationId: randomUUID(), table, op: 'update', id, fields, hlc: hlc(client) });

    const project = randomUUID();
    await post('setup', [{ mutationId: randomUUID(), table: 'projects', op: 'insert', id: project, fields: { title: 'bench' }, hlc: hlc('setup') }]);
    const sceneIds = Array.from({ length: 100 }, () => randomUUID());
    const positions = generateNKeysBetween(null, null, sceneIds.length);
    const setup = await post('setup', sceneIds.map((id, i) => ({ mutationId: randomUUID(), table: 'scenes', op: 'insert', id, fields: { project_id: project, position: positions[i], title: 's' }, hlc: hlc('setup') })));
    if (setup.some((r) => r.status !== 'applied')) throw new Error(`setup failed: ${JSON.stringify(setup.find((r) => r.status !== 'applied'))}`);
    out(`data: 1 user, 1 project, ${sceneIds.length} scenes`);

    // Baseline: the same row update as a bare postgres.js statement (no HTTP, no LWW, no idempotency).
    const base: number[] = [];
    for (let i = 0; i < SINGLE_ROUNDS; i++) {
      const t = performance.now();
      await sql`update scenes set title = ${`b${i}`}, updated_at = now() where id = ${sceneIds[0]!}`;
      base.push(performance.now() - t);
    }

    // 1. Single-mutation round trip, sequential, one client.
    const single: number[] = [];
    for (let i = 0; i < SINGLE_ROUNDS + 200; i++) {
      const t = performance.now();
      const [r] = await post('single', [update('scenes', sceneIds[0]!, { title: `t${i}` }, 'single')]);
      if (r?.status !== 'applied') throw new Error(`single mutation not applied: ${JSON.stringify(r)}`);
      if (i >= 200) single.push(performance.now() - t);
    }
    out('');
    out(`1. single mutation round trip (${SINGLE_ROUNDS} sequential POSTs after 200 warm-up, 1 field update each)`);
    out(`   baseline bare UPDATE via postgres.js: p50 ${ms(pct(base, 50))}  p99 ${ms(pct(base, 99))}`);
    out(`   POST /v1/mutations:                   p50 ${ms(pct(single, 50))}  p99 ${ms(pct(single, 99))}   target p99 < 20 ms → ${pct(single, 99) < 20 ? 'MET' : 'MISSED'}`);

    // 2. A batch of 500 field updates (100 scenes × 5 updates each, mixed fields).
    const batchTimes: number[] = [];
    for (let round = 0; round < BATCH_ROUNDS; round++) {
      const batch = Array.from({ length: BATCH_SIZE }, (_, i) =>
        update('scenes', sceneIds[i % sceneIds.length]!, i % 2 ? { title: `r${round}-${i}` } : { prompt: `p${round}-${i}`, status: 'ready' }, 'batch'),
      );
      const t = performance.now();
      const results = await post('batch', batch);
      batchTimes.push(performance.now() - t);
      if (results.some((r) => r.status !== 'applied')) throw new Error('batch mutation not applied');
    }
    const batchMedian = pct(batchTimes.slice(1), 50);
    out('');
    out(`2. batch of ${BATCH_SIZE} field updates in one POST (${BATCH_ROUNDS} rounds, first is warm-up)`);
    out(`   median ${ms(batchMedian)} per batch → ${Math.round((BATCH_SIZE / batchMedian) * 1000)} mutations/s on one connection`);

    // 3. 16 concurrent clients, conflicting rows (all write the same 20 scenes), for a fixed time.
    const conflictRows = sceneIds.slice(0, CONFLICT_ROWS);
    let applied = 0;
    let other = 0;
    const latencies: number[] = [];
    const deadline = performance.now() + THROUGHPUT_SECONDS * 1000;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        const client = `c${String(c).padStart(2, '0')}`;
        while (performance.now() < deadline) {
          const batch = Array.from({ length: CLIENT_BATCH }, (_, i) =>
            update('scenes', conflictRows[(i * 7 + c) % conflictRows.length]!, i % 3 ? { title: `${client}-${i}` } : { prompt: `${client}`, duration_seconds: 1 + (i % 5) }, client),
          );
          const t = performance.now();
          const results = await post(client, batch);
          latencies.push(performance.now() - t);
          for (const r of results) r.status === 'applied' ? applied++ : other++;
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    const rate = applied / elapsed;
    out('');
    out(`3. ${CLIENTS} concurrent clients, batches of ${CLIENT_BATCH} updates, all on the same ${CONFLICT_ROWS} scenes, ${THROUGHPUT_SECONDS} s`);
    out(`   applied ${applied} (other outcomes ${other}) in ${elapsed.toFixed(1)} s → ${Math.round(rate)} mutations/s   target ≥ 5,000/s → ${rate >= 5000 ? 'MET' : 'MISSED'}`);
    out(`   batch latency p50 ${ms(pct(latencies, 50))}  p99 ${ms(pct(latencies, 99))}`);

    // 4. Same load without conflicts: each client owns 5 of the 100 scenes (shows what row locks cost in 3).
    let appliedDisjoint = 0;
    const latDisjoint: number[] = [];
    const deadline2 = performance.now() + THROUGHPUT_SECONDS * 1000;
    const start2 = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        const client = `d${String(c).padStart(2, '0')}`;
        const own = sceneIds.slice(c * 5, c * 5 + 5);
        while (performance.now() < deadline2) {
          const batch = Array.from({ length: CLIENT_BATCH }, (_, i) => update('scenes', own[i % own.length]!, { title: `${client}-${i}` }, client));
          const t = performance.now();
          const results = await post(client, batch);
          latDisjoint.push(performance.now() - t);
          for (const r of results) if (r.status === 'applied') appliedDisjoint++;
        }
      }),
    );
    const rate2 = appliedDisjoint / ((performance.now() - start2) / 1000);
    out('');
    out(`4. ${CLIENTS} concurrent clients, batches of ${CLIENT_BATCH} updates, each on its own 5 scenes (no conflicts), ${THROUGHPUT_SECONDS} s`);
    out(`   applied ${appliedDisjoint} → ${Math.round(rate2)} mutations/s   target ≥ 5,000/s → ${rate2 >= 5000 ? 'MET' : 'MISSED'}`);
    out(`   batch latency p50 ${ms(pct(latDisjoint, 50))}  p99 ${ms(pct(latDisjoint, 99))}`);
    out('');
    out(`load average while running (other processes share these cores): ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);

    await server.close();
    await sql.end({ timeout: 1 });
  } finally {
    await stack.stop();
  }
}

