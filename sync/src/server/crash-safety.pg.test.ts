// kill -9 the sync server while transactions stream in, restart it on the same data dir, and check that
// every committed change is in the shape log exactly once and in commit order.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

let db: TestDatabase;
let dataDir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
  await db.sql`create table events (id int primary key, batch int not null)`;
  dataDir = mkdtempSync(join(tmpdir(), 'sync-crash-'));
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function startChild(): Promise<string> {
  const entry = fileURLToPath(new URL('./testing/sync-child.ts', import.meta.url));
  const proc = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, DATABASE_URL: db.url, SYNC_SLOT: `slot_${db.name}`, SYNC_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child = proc;
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined) resolve((JSON.parse(line) as { port: number }).port);
    });
    proc.once('exit', (code) => reject(new Error(`sync child exited with ${code}`)));
  });
  return `http://127.0.0.1:${port}/v1/shape`;
}

interface Change {
  key: string;
  value: { id: string };
  headers: { operation?: string; control?: string; lsn?: string };
}

/** Reads the whole log after the snapshot with plain catch-up requests. */
async function readLog(url: string, handle: string): Promise<Change[]> {
  const out: Change[] = [];
  let offset = '0_inf';
  for (let i = 0; i < 1_000; i++) {
    const res = await fetch(`${url}?table=events&handle=${handle}&offset=${offset}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Change[];
    out.push(...body.filter((m) => m.headers.operation !== undefined));
    offset = res.headers.get('electric-offset') ?? offset;
    if (res.headers.has('electric-up-to-date')) return out;
  }
  throw new Error('log never reached up-to-date');
}

it('loses nothing and duplicates nothing across kill -9 and restart', async () => {
  let url = await startChild();
  const first = await fetch(`${url}?table=events&offset=-1`);
  const handle = first.headers.get('electric-handle') ?? '';
  expect(first.status).toBe(200);

  let committed = 0;
  let writing = true;
  const writer = (async () => {
    let batch = 0;
    while (writing) {
      batch++;
      const size = batch % 3 === 0 ? 5 : 1; // some multi-row transactions
      const base = committed;
      await db.sql`insert into events select g, ${batch} from generate_series(${base + 1}::int, ${base + size}::int) g`;
      committed += size;
    }
  })();

  for (let round = 0; round < 3; round++) {
    await new Promise((r) => setTimeout(r, 300 + round * 150));
    child?.kill('SIGKILL');
    await new Promise((r) => child?.once('exit', r));
    await new Promise((r) => setTimeout(r, 100)); // writes continue while the server is down
    url = await startChild();
  }
  writing = false;
  await writer;

  const deadline = Date.now() + 20_000;
  let log: Change[] = [];
  while (Date.now() < deadline) {
    log = await readLog(url, handle);
    if (log.length >= committed) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const ids = log.map((m) => Number(m.value.id));
  expect(committed).toBeGreaterThan(20);
  expect(new Set(ids).size).toBe(ids.length); // nothing twice
  expect(ids).toEqual(Array.from({ length: committed }, (_v, i) => i + 1)); // nothing lost, commit order
});
