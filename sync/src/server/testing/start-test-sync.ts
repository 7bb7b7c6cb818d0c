// Test helper: a sync service on a throwaway database, served over real HTTP on a free loopback port.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createSyncService, type SyncService, type SyncServiceOptions } from '../create-sync-service';
import type { EngineLogger } from '../shapes/shape-engine';

export interface TestSync {
  service: SyncService;
  /** Base URL, e.g. http://127.0.0.1:12345 */
  baseUrl: string;
  shapeUrl: string;
  dataDir: string;
  /** Stops HTTP + service; keeps dataDir (for restart tests). */
  stop(): Promise<void>;
  /** stop() and remove dataDir. */
  destroy(): Promise<void>;
}

export const quietLogger: EngineLogger = {
  info: () => {},
  warn: () => {},
  error: (obj, msg) => process.stderr.write(`[sync error] ${msg ?? ''} ${String((obj as { err?: unknown }).err ?? '')}\n`),
};

export type TestSyncOptions = Partial<SyncServiceOptions> & { databaseUrl: string; slotName: string };

export async function startTestSync(options: TestSyncOptions): Promise<TestSync> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sync-test-'));
  const service = createSyncService({ log: quietLogger, liveTimeoutMs: 2_000, ...options, dataDir });
  await service.start();
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: service.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if ('closeAllConnections' in server) server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await service.stop();
  };
  return {
    service,
    baseUrl,
    shapeUrl: `${baseUrl}/v1/shape`,
    dataDir,
    stop,
    async destroy() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
