// Entry for crash tests: the real composed server (startServer + readServerConfig) in its own process, so
// a test can kill -9 it mid-request. Run with `node --import tsx api-child.ts`; spawnApiChild does that.
//
// Env: DATABASE_URL, REDIS_URL, STORYFORGE_DATA_DIR, STORYFORGE_TEST_SLOT (replication slot), plus the
// server's own STORYFORGE_* variables (readServerConfig; set STORYFORGE_PORT=0 for a free port).
// Test-only switch: STORYFORGE_TEST_BLOCK_RENDER_MS=N makes the simulated provider announce each render
// and then wait N ms before rendering, so the test knows the request is past its credit hold.
//
// stdout carries only protocol lines, one JSON object each (logs go to stderr):
//   {"event":"listening","url":"http://127.0.0.1:PORT"}   once serving
//   {"event":"render started"}                            each blocked render, before it waits
// SIGTERM stops the server and exits 0. A closed stdin (the test process is gone) exits too, so a crashed
// test run leaves no server behind.
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { createSimulatedProvider } from '../generation/simulated-provider';
import type { VideoProvider } from '../generation/video-provider';
import { readServerConfig } from '../server/server-config';
import { startServer } from '../server/start-server';
import { LISTENING_EVENT, RENDER_STARTED_EVENT } from './spawn-api-child';

const required = (name: string): string => {
  const v = process.env[name];
  if (v === undefined || v === '') throw new Error(`${name} is required`);
  return v;
};

const emit = (line: Record<string, string>): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

/** The simulated provider, announcing each render and holding it for `blockMs` before it runs. */
function blockingSimulatedProvider(blockMs: number): VideoProvider {
  const sim = createSimulatedProvider();
  return {
    ...sim,
    async generate(input) {
      emit({ event: RENDER_STARTED_EVENT });
      await sleep(blockMs);
      return sim.generate(input);
    },
  };
}

const blockSetting = process.env.STORYFORGE_TEST_BLOCK_RENDER_MS;
const blockMs = blockSetting === undefined || blockSetting === '' ? undefined : Number(blockSetting);
if (blockMs !== undefined && !(Number.isFinite(blockMs) && blockMs >= 0)) throw new Error(`STORYFORGE_TEST_BLOCK_RENDER_MS=${blockSetting} is not a duration in ms`);

const config = readServerConfig({ databaseUrl: required('DATABASE_URL'), redisUrl: required('REDIS_URL'), dataDir: required('STORYFORGE_DATA_DIR') });
const server = await startServer({
  config,
  // stdout is the protocol channel: logs must not interleave with it.
  logger: pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2)),
  slotName: required('STORYFORGE_TEST_SLOT'),
  // Without the switch: whatever the environment configures, as `npm start` would.
  ...(blockMs === undefined ? {} : { providers: new Map([['simulated', blockingSimulatedProvider(blockMs)]]) }),
});

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  server.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`api child: stop failed: ${String(err)}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
emit({ event: LISTENING_EVENT, url: server.url });
