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
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApiApp } from '../app';
import { createAuthenticate } from '../auth/authenticate';
import { ServerClock } from '../clock/server-clock';
import { createGenerationRoutes } from '../generation/generation-routes';
import { DEFAULT_IDEMPOTENCY_RETENTION_MS, startIdempotencyKeyPruner } from '../generation/generation-requests';
import { IDEMPOTENT_REPLAYED_HEADER, RETRY_AFTER_HEADER } from '../generation/idempotency-key';
import { DEFAULT_ORPHANED_HOLD_GRACE_MS, startOrphanedHoldSweeper } from '../generation/orphaned-holds';
import { providersFromEnv } from '../generation/providers-from-env';
import type { VideoProvider } from '../generation/video-provider';
import { startExpirySweeper } from '../vector/expiry-sweeper';
import { createPgVectorStore } from '../vector/pgvector-store';
import { createPineconeStore } from '../vector/pinecone-store';
import { createSearchRoutes } from '../vector/search-routes';
import { createEmbedderFromConfig, openPineconeIndex } from './semantic-adapters';
import type { ServerConfig } from './server-config';

export interface StartServerOptions {
  config: ServerConfig;
  logger?: Logger;
  /** Replication slot name; slots are cluster-wide, so servers sharing a cluster need distinct ones. */
  slotName?: string;
  /** Video provider keys (`<NAME>_API_KEY`, see providersFromEnv); default process.env. */
  env?: Record<string, string | undefined>;
  /**
   * The video providers by `model_provider`, replacing those built from `env` (default providersFromEnv).
   * For a program that starts the server itself, e.g. the crash test's child (testing/api-child.ts), whose
   * provider blocks mid-render so the test can kill it there.
   */
  providers?: ReadonlyMap<string, VideoProvider>;
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * The single-port server on one Node process: sync (`/v1/shape`, `/v1/health`), mutation API
 * (`/v1/mutations`, `/v1/me`, dev login), generations (`/v1/generations`, `/v1/media/:file`), vector
 * search (`/v1/search/*`) and `/v1/metrics`.
 */
export async function startServer({ config, logger = pino({ level: process.env.LOG_LEVEL ?? 'info' }), slotName, env = process.env, providers }: StartServerOptions): Promise<RunningServer> {
  // L2 adapters first: a misconfigured Pinecone index refuses the start before anything is opened.
  const embedder = createEmbedderFromConfig(config.embedder ?? { kind: 'hashing' });
  const pineconeIndex = config.vectorStore?.kind === 'pinecone' ? await openPineconeIndex({ config: config.vectorStore, embedder }) : undefined;
  logger.info({ embedder: embedder.id, embedderVersion: embedder.version, vectorStore: pineconeIndex === undefined ? 'pgvector' : 'pinecone' }, 'L2 semantic cache adapters');

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

  const now = () => Date.now();
  const graceMs = config.orphanedHoldGraceMs ?? DEFAULT_ORPHANED_HOLD_GRACE_MS;
  // One server HLC for every server-side write: mutations and generation results merge on the same clock.
  const clock = new ServerClock({ nodeId: `server-${randomUUID().slice(0, 8)}`, now });
  const apiLogger = logger.child({ component: 'api' });
  const api = createApiApp({ sql, logger: apiLogger, registry, clock, now, auth: { jwtSecret: config.jwtSecret, devMode: config.devMode } });
  // L2 entries live 90 days; lookups already ignore expired ones, the sweeper reclaims their space hourly.
  const vectorStore = pineconeIndex === undefined ? createPgVectorStore({ sql }) : createPineconeStore({ index: pineconeIndex });
  const sweeper = startExpirySweeper({ store: vectorStore, now, logger: apiLogger });
  const generation = createGenerationRoutes({
    vectorStore,
    embedder,
    sql,
    redis,
    logger: apiLogger,
    registry,
    clock,
    now,
    jwtSecret: config.jwtSecret,
    mediaDir: join(config.dataDir, 'media'),
    providers: providers ?? providersFromEnv({ env, sleep: (ms) => sleep(ms), now }),
    // A pending Idempotency-Key turns stale (its request died) after the same grace as an orphaned hold.
    idempotencyStaleMs: graceMs,
  });
  // A request that died between its credit hold and recording its version (kill -9, OOM, deploy) leaves the
  // credits debited for nothing: refunded once the hold is older than the grace, at start and every 10 min.
  const orphanedHolds = startOrphanedHoldSweeper({ sql, logger: apiLogger, now, registry, graceMs });
  // Idempotency-Keys completed more than the retention ago (24 h by default) are pruned, at start and every 10 min.
  const idempotencyKeys = startIdempotencyKeyPruner({ sql, logger: apiLogger, now, retentionMs: config.idempotencyRetentionMs ?? DEFAULT_IDEMPOTENCY_RETENTION_MS, staleMs: graceMs });
  const search = createSearchRoutes({ sql, logger: apiLogger, jwtSecret: config.jwtSecret });

  const app = new Hono();
  app.get('/v1/metrics', async (c) => c.body(await registry.metrics(), 200, { 'content-type': registry.contentType }));
  for (const path of ['/v1/mutations', '/v1/me', '/v1/auth/*', '/v1/search/*', '/v1/media/*']) app.use(path, cors());
  // Request headers (Idempotency-Key too) are allowed by reflecting the preflight; the response headers a
  // browser client needs for retries are not CORS-safelisted, so they are exposed explicitly.
  app.use('/v1/generations', cors({ exposeHeaders: [IDEMPOTENT_REPLAYED_HEADER, RETRY_AFTER_HEADER] }));
  app.route('/', sync.app);
  app.route('/', generation.app);
  app.route('/', search);
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
      await generation.drain();
      sweeper.stop();
      orphanedHolds.stop();
      idempotencyKeys.stop();
      await sync.stop();
      await sql.end({ timeout: 5 });
      redis.disconnect();
    },
  };
}
