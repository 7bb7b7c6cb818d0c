// GET /v1/shape: snapshot pages, catch-up, long-poll and SSE over the durable shape logs.
import {
  CACHE_CATCH_UP, CACHE_INITIAL, CACHE_LIVE, CACHE_NONE, CONTROL_MUST_REFETCH, CONTROL_UP_TO_DATE, CURSOR_HEADER,
  HANDLE_HEADER, OFFSET_HEADER, SCHEMA_HEADER, SSE_CONTENT_TYPE, SSE_KEEP_ALIVE, UP_TO_DATE_HEADER,
} from '../../protocol/constants';
import { changeOffset } from '../../protocol/offset';
import { definitionKey } from '../shapes/shape-definition';
import type { ShapeEngine } from '../shapes/shape-engine';
import { waitForShape, type ShapeRuntime } from '../shapes/shape-runtime';
import type { ShapeStore } from '../store/shape-store';
import { SyncError } from '../sync-error';
import { liveCursor } from './live-cursor';
import { parseShapeRequest, type ShapeRequest } from './shape-request';
import { readLogChunk } from './log-chunk';
import { SHAPE_CORS_HEADERS } from './shape-cors';

export interface ShapeHandlerOptions {
  engine: ShapeEngine;
  store: ShapeStore;
  authenticate?: ((req: Request) => Promise<{ userId: string } | null>) | undefined;
  isReady(): boolean;
  liveTimeoutMs: number;
  sseKeepAliveMs: number;
  /** SSE connections are closed after this long (the client reconnects from its offset). */
  sseMaxMs: number;
  logPageSize: number;
  onLive?(delta: 1 | -1): void;
  now?: () => number;
}

const MUST_REFETCH_BODY = JSON.stringify([{ headers: { control: CONTROL_MUST_REFETCH } }]);

function upToDate(lsn: number): string {
  return JSON.stringify({ headers: { control: CONTROL_UP_TO_DATE, global_last_seen_lsn: String(lsn) } });
}

export function createShapeHandler(o: ShapeHandlerOptions): (req: Request) => Promise<Response> {
  const now = o.now ?? Date.now;

  function mustRefetch(shape: ShapeRuntime): Response {
    return new Response(MUST_REFETCH_BODY, {
      status: 409,
      headers: { ...SHAPE_CORS_HEADERS, [HANDLE_HEADER]: shape.publicHandle, 'cache-control': CACHE_NONE, 'content-type': 'application/json' },
    });
  }

  function json(req: Request, body: string, headers: Record<string, string>, etagKey: string | null): Response {
    headers['content-type'] = 'application/json';
    Object.assign(headers, SHAPE_CORS_HEADERS);
    if (etagKey !== null) {
      const etag = `"${etagKey}"`;
      headers.etag = etag;
      if (req.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
    }
    return new Response(body, { status: 200, headers });
  }

  /**
   * Waits until `page` is written AND we know whether it is the last one (the next page exists or the
   * snapshot finished), so a page's response — offset, snapshot-end — is the same whenever it is served.
   */
  async function waitForPage(shape: ShapeRuntime, page: number, signal: AbortSignal): Promise<void> {
    while (shape.state === 'snapshotting' && shape.pageCount <= page + 1 && !signal.aborted) {
      await waitForShape(shape, 5_000, signal);
    }
  }

  async function waitReady(shape: ShapeRuntime, signal: AbortSignal): Promise<void> {
    while (shape.state === 'snapshotting' && !signal.aborted) await waitForShape(shape, 5_000, signal);
  }

  function servePage(req: Request, r: ShapeRequest, shape: ShapeRuntime, page: number): Response {
    const body = o.store.snapshotPage(shape.handle, page) ?? '';
    const isLast = shape.state === 'ready' && page === shape.pageCount - 1;
    const offset = isLast ? '0_inf' : `0_${page}`;
    const sep = body === '' ? '' : ',';
    const text = `[${body}${isLast ? sep + shape.snapshotEnd : ''}]`;
    const headers: Record<string, string> = {
      [HANDLE_HEADER]: shape.publicHandle,
      [OFFSET_HEADER]: offset,
      [SCHEMA_HEADER]: shape.schemaJson,
      'cache-control': r.offset !== 'now' && r.offset.kind === 'before-all' ? CACHE_INITIAL : CACHE_CATCH_UP,
    };
    return json(req, text, headers, `${shape.publicHandle}:${r.offsetText}:${offset}`);
  }

  function serveSse(req: Request, r: ShapeRequest, shape: ShapeRuntime, afterLsn: number): Response {
    const enc = new TextEncoder();
    const closed = new AbortController();
    req.signal.addEventListener('abort', () => closed.abort(), { once: true });
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        o.onLive?.(1);
        const deadline = now() + o.sseMaxMs;
        let after = afterLsn;
        try {
          while (!closed.signal.aborted && now() < deadline && shape.state === 'ready') {
            const chunk = readLogChunk(o.store, shape, after, o.logPageSize, o.engine.processedLsn);
            if (chunk.count > 0) {
              chunk.sseBytes ??= enc.encode(chunk.sse + (chunk.caughtUp ? `data: ${upToDate(chunk.global)}\n\n` : ''));
              controller.enqueue(chunk.sseBytes);
              after = chunk.caughtUp ? chunk.global : chunk.lastLsn;
              continue;
            }
            const started = now();
            await waitForShape(shape, Math.min(o.sseKeepAliveMs, Math.max(1, deadline - now())), closed.signal);
            if (now() - started >= o.sseKeepAliveMs) controller.enqueue(enc.encode(SSE_KEEP_ALIVE));
          }
        } catch {
          // the client went away mid-write
        } finally {
          o.onLive?.(-1);
          try {
            controller.close();
          } catch {
            // already closed by a cancel
          }
        }
      },
      cancel() {
        closed.abort();
      },
    });
    return new Response(stream, {
      status: 200,
      headers: {
        ...SHAPE_CORS_HEADERS,
        [HANDLE_HEADER]: r.handle ?? shape.publicHandle,
        [OFFSET_HEADER]: r.offsetText,
        [CURSOR_HEADER]: liveCursor(now(), o.liveTimeoutMs, r.cursor),
        'content-type': SSE_CONTENT_TYPE,
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
      },
    });
  }

  async function serveLog(req: Request, r: ShapeRequest, shape: ShapeRuntime, afterLsn: number, offsetText: string): Promise<Response> {
    let chunk = readLogChunk(o.store, shape, afterLsn, o.logPageSize, o.engine.processedLsn);
    if (chunk.count === 0 && r.live) {
      o.onLive?.(1);
      try {
        const deadline = now() + o.liveTimeoutMs;
        while (chunk.count === 0 && shape.state === 'ready' && !req.signal.aborted && now() < deadline) {
          await waitForShape(shape, deadline - now(), req.signal);
          chunk = readLogChunk(o.store, shape, afterLsn, o.logPageSize, o.engine.processedLsn);
        }
      } finally {
        o.onLive?.(-1);
      }
      if (shape.state === 'retired') return mustRefetch(await o.engine.getOrCreate(r.def));
    }
    const { caughtUp, global } = chunk;
    const offset = chunk.count === 0 ? offsetText : changeOffset(chunk.lastLsn, chunk.lastOp);
    const body = `[${chunk.joined}${caughtUp ? (chunk.count > 0 ? ',' : '') + upToDate(global) : ''}]`;
    const headers: Record<string, string> = { [HANDLE_HEADER]: r.handle ?? shape.publicHandle, [OFFSET_HEADER]: offset };
    if (caughtUp) headers[UP_TO_DATE_HEADER] = '';
    if (r.live) {
      headers[CURSOR_HEADER] = liveCursor(now(), o.liveTimeoutMs, r.cursor);
      headers['cache-control'] = CACHE_LIVE;
      return json(req, body, headers, null);
    }
    headers[SCHEMA_HEADER] = shape.schemaJson;
    headers['cache-control'] = CACHE_CATCH_UP;
    return json(req, body, headers, `${headers[HANDLE_HEADER]}:${r.offsetText}:${offset}:${caughtUp ? global : ''}`);
  }

  return async function handleShape(req: Request): Promise<Response> {
    if (!o.isReady()) throw new SyncError('not_ready', 'Replication is starting; retry shortly');
    let userId: string | null = null;
    if (o.authenticate !== undefined) {
      const user = await o.authenticate(req);
      if (user === null) throw new SyncError('unauthorized', 'Authentication required');
      userId = user.userId;
    }
    const r = parseShapeRequest(new URL(req.url).searchParams, userId);
    let shape: ShapeRuntime;
    if (r.handle !== null) {
      const found = o.engine.byHandle(r.handle);
      if (found === undefined || found.defKey !== definitionKey(r.def)) return mustRefetch(await o.engine.getOrCreate(r.def));
      // An older handle of a compacted log: change offsets before the compaction point no longer exist
      // (snapshot offsets still do: snapshot + compacted log give the same state).
      const minLsn = found.handles.get(r.handle) ?? 0;
      if (r.offset !== 'now' && r.offset.kind === 'log' && r.offset.lsn < minLsn) return mustRefetch(found);
      shape = found;
    } else {
      shape = await o.engine.getOrCreate(r.def);
    }
    const signal = req.signal;
    if (r.offset !== 'now' && !r.changesOnly && (r.offset.kind === 'before-all' || r.offset.kind === 'snapshot')) {
      const page = r.offset.kind === 'before-all' ? 0 : r.offset.page + 1;
      await waitForPage(shape, page, signal);
      if (shape.state === 'retired') return mustRefetch(await o.engine.getOrCreate(r.def));
      if (page < shape.pageCount) return servePage(req, r, shape, page);
    }
    await waitReady(shape, signal);
    if (shape.state === 'retired') return mustRefetch(await o.engine.getOrCreate(r.def));
    if (r.offset === 'now' || (r.changesOnly && r.offset.kind !== 'log')) {
      // Start at the current end: everything at or before processedLsn is already in the log.
      const p = o.engine.processedLsn;
      const offset = p > 0 ? changeOffset(p, 0) : '0_inf';
      const headers: Record<string, string> = {
        [HANDLE_HEADER]: shape.publicHandle, [OFFSET_HEADER]: offset, [SCHEMA_HEADER]: shape.schemaJson,
        [UP_TO_DATE_HEADER]: '', 'cache-control': CACHE_NONE,
      };
      if (r.live) headers[CURSOR_HEADER] = liveCursor(now(), o.liveTimeoutMs, r.cursor);
      return json(req, `[${upToDate(p)}]`, headers, null);
    }
    const afterLsn = r.offset.kind === 'log' ? r.offset.lsn : 0;
    if (r.sse) return serveSse(req, r, shape, afterLsn);
    return serveLog(req, r, shape, afterLsn, r.offsetText);
  };
}
