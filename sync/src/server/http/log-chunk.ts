// One read of a shape's log after an offset, shared by every request waiting at that offset: when a
// change wakes N live requests of a shape they all want the same bytes, so the read and the JSON
// concatenation happen once per (offset, log version), not N times.
import type { ShapeRuntime } from '../shapes/shape-runtime';
import type { ShapeStore } from '../store/shape-store';

export interface LogChunk {
  /** Messages joined with commas (no brackets); '' when none. */
  joined: string;
  /** The same messages as SSE events (`data: …\n\n` each). */
  sse: string;
  count: number;
  /** Commit LSN and op of the last message (for electric-offset and the SSE resume point). */
  lastLsn: number;
  lastOp: number;
  /** True when this read reached the end of the log (send up-to-date). */
  caughtUp: boolean;
  /** Global processed LSN when read: every entry at or before it is in the log. */
  global: number;
  /** Encoded SSE payload (events + up-to-date when caught up), built once for all live connections. */
  sseBytes?: Uint8Array;
}

const cache = new WeakMap<ShapeRuntime, Map<string, LogChunk>>();

export function readLogChunk(store: ShapeStore, shape: ShapeRuntime, afterLsn: number, limit: number, global: number): LogChunk {
  const key = `${afterLsn}:${shape.logCount}:${shape.lastLsn}:${global}`;
  let byKey = cache.get(shape);
  const hit = byKey?.get(key);
  if (hit !== undefined) return hit;
  const entries = store.readLog(shape.handle, afterLsn, limit);
  let joined = '';
  let sse = '';
  for (let i = 0; i < entries.length; i++) {
    const body = (entries[i] as { body: string }).body;
    joined += i === 0 ? body : `,${body}`;
    sse += `data: ${body}\n\n`;
  }
  const last = entries[entries.length - 1];
  const chunk: LogChunk = {
    joined, sse, count: entries.length, lastLsn: last?.lsn ?? 0, lastOp: last?.op ?? 0,
    caughtUp: entries.length < limit, global,
  };
  if (byKey === undefined || byKey.size >= 32) cache.set(shape, (byKey = new Map()));
  byKey.set(key, chunk);
  return chunk;
}
