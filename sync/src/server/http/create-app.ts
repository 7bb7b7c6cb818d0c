import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { EXPOSED_HEADERS, HANDLE_PARAM, HEALTH_PATH, RETRY_AFTER_HEADER, SHAPE_PATH, TABLE_PARAM, CACHE_NONE } from '../../protocol/constants';
import { parseTableName } from '../schema/table-name';
import type { ShapeEngine } from '../shapes/shape-engine';
import { SyncError } from '../sync-error';
import { WhereError } from '../where/where-error';
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
  app.use(
    `${SHAPE_PATH}`,
    cors({
      origin: '*',
      allowMethods: ['GET', 'POST', 'HEAD', 'DELETE', 'OPTIONS'],
      allowHeaders: ['authorization', 'content-type', 'if-none-match'],
      exposeHeaders: [...EXPOSED_HEADERS],
    }),
  );
  app.onError((err, c) => {
    if (err instanceof WhereError) return c.json(err.toResponseBody(), 400, { 'cache-control': CACHE_NONE });
    if (err instanceof SyncError) {
      const headers: Record<string, string> = { 'cache-control': CACHE_NONE };
      if (err.status === 503) headers[RETRY_AFTER_HEADER] = '1';
      const body = err.status === 400 ? { message: 'Invalid request', code: err.code, errors: err.details } : { message: err.message, code: err.code };
      return c.json(body, err.status as 400, headers);
    }
    o.log.error({ err }, 'shape request failed');
    return c.json({ message: 'Internal error', code: 'internal' }, 500, { 'cache-control': CACHE_NONE });
  });
  app.get(SHAPE_PATH, (c) => o.handleShape(c.req.raw));
  app.get(HEALTH_PATH, (c) => (o.isReady() ? c.json({ status: 'active' }) : c.json({ status: 'starting' }, 503)));
  if (o.devMode) {
    app.delete(SHAPE_PATH, (c) => {
      const q = new URL(c.req.url).searchParams;
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
      return c.body(null, 202);
    });
  }
  return app;
}
