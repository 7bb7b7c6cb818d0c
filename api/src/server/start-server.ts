import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import postgres from 'postgres';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { startBackupScheduler } from '@storyforge/db/backup';
import { createSyncService } from '@storyforge/sync/server';
import { createScopePolicy } from '@storyforge/sync/server/scope';
import { createApiApp } from '../app';
import { createAuthenticate } from '../auth/authenticate';
import type { ServerConfig } from './server-config';

export interface StartServerOptions {
  config: ServerConfig;
  logger?: Logger;
  /** Replication slot name; slots are cluster-wide, so servers sharing a cluster need distinct ones. */
  slotName?: string;
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * The single-port server: sync (`/v1/shape`, `/v1/health`) + mutation API (`/v1/mutations`, `/v1/me`,
 * dev login) + `/v1/metrics`, on one Node process.
 */
export async function startServer({ config, logger = pino({ level: process.env.LOG_LEVEL ?? 'info' }), slotName }: StartServerOptions): Promise<RunningServer> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const sql = postgres(config.databaseUrl, { max: 20, onnotice: () => {} });
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();

  const publicationName = 'storyforge_sync';
  // Dev mode serves any table unauthenticated (PROTOCOL.md "Generic mode"); otherwise every shape request
  // needs a bearer token and gets the caller's scope (own projects and their children, public marketplace).
  const authMode = config.devMode
    ? {}
    : {
        authenticate: createAuthenticate({ jwtSecret: config.jwtSecret }),
        scope: createScopePolicy({ sql, publicationName }),
      };
  const sync = createSyncService({
    databaseUrl: config.databaseUrl,
    dataDir: join(config.dataDir, 'sync'),
    log: logger.child({ component: 'sync' }),
    registry,
    publicationName,
    ...(slotName === undefined ? {} : { slotName }),
    ...authMode,
  });
  await sync.start();

  const api = createApiApp({
    sql,
    logger: logger.child({ component: 'api' }),
    registry,
    auth: { jwtSecret: config.jwtSecret, devMode: config.devMode },
  });

  const app = new Hono();
  app.get('/v1/metrics', async (c) => c.body(await registry.metrics(), 200, { 'content-type': registry.contentType }));
  for (const path of ['/v1/mutations', '/v1/me', '/v1/auth/*']) app.use(path, cors());
  app.route('/', sync.app);
  app.route('/', api);

  const backups =
    config.backupDir === undefined
      ? undefined
      : startBackupScheduler({ databaseUrl: config.databaseUrl, dir: config.backupDir, log: (line) => logger.info({ component: 'backup' }, line) });

  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  return {
    url: `http://${config.host}:${port}`,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await backups?.stop();
      await sync.stop();
      await sql.end({ timeout: 5 });
      redis.disconnect();
    },
  };
}
