import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { Logger } from 'pino';
import type postgres from 'postgres';
import type { Registry } from 'prom-client';
import { requireAuth, type AuthVariables } from './auth/require-auth';
import { ServerClock } from './clock/server-clock';
import { DEFAULT_MAX_BODY_BYTES, limitBody } from './http/body-limit';
import { errorHandler } from './http/on-error';
import { rateLimit } from './http/rate-limit';
import { createHttpMetrics, metricsMiddleware } from './metrics/http-metrics';
import { createMutationMetrics } from './metrics/mutation-metrics';
import { devLoginRoute } from './routes/dev-login-route';
import { meRoute } from './routes/me-route';
import { mutationsRoute } from './routes/mutations-route';
import { ApiError } from './errors/api-error';

export interface ApiAppDeps {
  sql: postgres.Sql;
  logger: Logger;
  /** Shared prom-client registry (the composition serves it at /v1/metrics). */
  registry: Registry;
  auth: { jwtSecret: string; devMode: boolean };
  /** Wall clock in ms; injected for tests. */
  now?: () => number;
  /** Server HLC; one per process. Created from `now` when omitted. */
  clock?: ServerClock;
  /** Max client clock lead before clamping (ms); default 60 s. */
  maxClockDriftMs?: number;
  maxBodyBytes?: number;
  /** Per-user token bucket for authenticated routes; `false` disables it. */
  rateLimit?: { ratePerSecond: number; burst: number } | false;
  /** Credits a dev-login user starts with. */
  startingCredits?: number;
  /** Set-based batch path first (default true); false forces one savepoint per mutation. */
  fastPath?: boolean;
}

export type ApiVariables = AuthVariables & { requestId: string };

/** The routes this app serves (what the composition should send to it). */
export const API_PATHS = ['/v1/mutations', '/v1/me', '/v1/auth/*'] as const;

/** Default per-user rate limit: generous for an outbox flushing after a long offline period. */
export const DEFAULT_RATE_LIMIT = { ratePerSecond: 200, burst: 400 };

/**
 * The mutation API as a Hono app: POST /v1/mutations, GET /v1/me, POST /v1/auth/dev-login (dev only).
 * Mount it at the root of the server (routes carry their /v1 prefix).
 *
 * @example
 *   const app = createApiApp({ sql, logger, registry, auth: { jwtSecret, devMode: true } });
 *   serve({ fetch: app.fetch, port: 0 });
 */
export function createApiApp(deps: ApiAppDeps) {
  const now = deps.now ?? (() => Date.now());
  const clock = deps.clock ?? new ServerClock({ nodeId: `server-${randomUUID().slice(0, 8)}`, now, ...(deps.maxClockDriftMs === undefined ? {} : { maxDriftMs: deps.maxClockDriftMs }) });
  const mutationMetrics = createMutationMetrics(deps.registry);
  const limits = deps.rateLimit === undefined ? DEFAULT_RATE_LIMIT : deps.rateLimit;
  const httpMetrics = createHttpMetrics(deps.registry);
  const app = new Hono<{ Variables: ApiVariables }>();

  app.onError(errorHandler(deps.logger));
  app.notFound(() => {
    throw new ApiError('not_found', 'No such route');
  });
  // Scoped to this app's own routes (not /v1/*) so that, mounted beside the sync server with
  // app.route('/', api), none of this wraps /v1/shape.
  for (const path of API_PATHS) {
    app.use(path, requestId());
    app.use(path, metricsMiddleware(httpMetrics));
    app.use(path, async (c, next) => {
      const start = performance.now();
      await next();
      deps.logger.info(
        { requestId: c.get('requestId'), method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round((performance.now() - start) * 10) / 10 },
        'request',
      );
    });
    app.use(path, limitBody(deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES));
  }

  if (deps.auth.devMode) {
    app.route('/v1/auth/dev-login', devLoginRoute({ sql: deps.sql, jwtSecret: deps.auth.jwtSecret, clock, now, ...(deps.startingCredits === undefined ? {} : { startingCredits: deps.startingCredits }) }));
  }

  const authed = requireAuth(deps.auth.jwtSecret);
  const limited = limits ? rateLimit({ ...limits, now, key: (c) => c.get('userId') }) : undefined;
  for (const path of ['/v1/mutations', '/v1/me']) {
    app.use(path, authed);
    if (limited) app.use(path, limited);
  }
  app.route('/v1/mutations', mutationsRoute({ sql: deps.sql, clock, logger: deps.logger, metrics: mutationMetrics, ...(deps.fastPath === undefined ? {} : { fastPath: deps.fastPath }) }));
  app.route('/v1/me', meRoute({ sql: deps.sql }));
  return app;
}
