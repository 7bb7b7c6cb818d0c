import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { EXPOSED_HEADERS, HANDLE_PARAM, HEALTH_PATH, RETRY_AFTER_HEADER, SHAPE_PATH, TABLE_PARAM, CACHE_NONE } from '../../protocol/constants';
import { parseTableName } from '../schema/table-name';
import type { ShapeEngine } from '../shapes/shape-engine';
import { SyncError } from '../sync-error';
import { WhereError } from '../where/where-error';
import { SHAPE_CORS_HEADERS } from './shape-cors';
import type { EngineLogger } from '../shapes/shape-engine';

export interface SyncAppOptions {
  handleShape(req: Request): Promise<Response>;
  engine: ShapeEngine;
  isReady(): boolean;
  /** DELETE /v1/shape is only mounted in dev mode (no authentication). */
  devMode: boolean;
  log: EngineLogger;
}

export function createSyncApp(o: SyncAppOptions): Hono {
  const app = new Hono();
  const corsMiddleware = cors({
    origin: '*',
    allowMethods: ['GET', 'POST', 'HEAD', 'DELETE', 'OPTIONS'],
    allowHeaders: ['authorization', 'content-type', 'if-none-match'],
    exposeHeaders: [...EXPOSED_HEADERS],
  });
  // GET responses carry SHAPE_CORS_HEADERS from the handler itself (see shape-cors.ts); the middleware
  // answers preflights and decorates the rare other methods.
  app.use(SHAPE_PATH, (c, next) => (c.req.method === 'GET' ? next() : corsMiddleware(c, next)));
  // Errors become responses inside each route (not only via onError), so the app behaves the same however
  // the lead mounts it (app.route, app.mount, or as the whole server).
  const toResponse = (err: unknown): Response => {
    const headers: Record<string, string> = { ...SHAPE_CORS_HEADERS, 'cache-control': CACHE_NONE, 'content-type': 'application/json' };
    if (err instanceof WhereError) return new Response(JSON.stringify(err.toResponseBody()), { status: 400, headers });
    if (err instanceof SyncError) {
      if (err.status === 503) headers[RETRY_AFTER_HEADER] = '1';
      const body = err.status === 400 ? { message: 'Invalid request', code: err.code, errors: err.details } : { message: err.message, code: err.code };
      return new Response(JSON.stringify(body), { status: err.status, headers });
    }
    o.log.error({ err }, 'shape request failed');
    return new Response(JSON.stringify({ message: 'Internal error', code: 'internal' }), { status: 500, headers });
  };
  app.onError((err) => toResponse(err));
  app.get(SHAPE_PATH, async (c) => {
    try {
      return await o.handleShape(c.req.raw);
    } catch (err) {
      return toResponse(err);
    }
  });
  app.get(HEALTH_PATH, (c) => (o.isReady() ? c.json({ status: 'active' }) : c.json({ status: 'starting' }, 503)));
  if (o.devMode) {
    app.delete(SHAPE_PATH, (c) => {
      try {
        return deleteShape(c.req.url);
      } catch (err) {
        return toResponse(err);
      }
    });
  }
  function deleteShape(requestUrl: string): Response {
    const q = new URL(requestUrl).searchParams;
    const handle = q.get(HANDLE_PARAM);
    const table = q.get(TABLE_PARAM);
    if (handle !== null && handle !== '') {
      const shape = o.engine.byHandle(handle);
      if (shape !== undefined) o.engine.retire(shape);
    } else if (table !== null && table !== '') {
      const t = parseTableName(table);
      o.engine.retireTable(t.schema, t.name);
    } else {
      throw new SyncError('invalid_request', 'table or handle is required', { details: { [TABLE_PARAM]: ['table or handle is required'] } });
    }
    return new Response(null, { status: 202 });
  }
  return app;
}
