// Entry for crash tests: runs the sync service in its own process so a test can kill -9 it.
// Env: DATABASE_URL, SYNC_SLOT, SYNC_DATA_DIR. Prints one JSON line {"port":N} when serving.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createSyncService } from '../create-sync-service';
import { quietLogger } from './start-test-sync';

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`${name} is required`);
  return v;
};

const service = createSyncService({
  databaseUrl: env('DATABASE_URL'),
  slotName: env('SYNC_SLOT'),
  dataDir: env('SYNC_DATA_DIR'),
  log: quietLogger,
  liveTimeoutMs: 1_000,
});
await service.start();
const server = serve({ fetch: service.app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
