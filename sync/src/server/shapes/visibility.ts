// Which transactions a snapshot (pg_current_snapshot(): `xmin:xmax:xip,…`, 64-bit xids) already saw.
// Stream xids are 32-bit (pgoutput Begin), so comparisons are modulo 2^32 like Postgres's own.

export interface Visibility {
  xmin: number;
  xmax: number;
  xip: ReadonlySet<number>;
  /** The snapshot-end control message values (decimal 64-bit strings). */
  raw: { xmin: string; xmax: string; xip: string[] };
}

const to32 = (x: string): number => Number(BigInt(x) & 0xffffffffn);
/** a precedes b in xid order (wraparound-aware). */
const precedes = (a: number, b: number): boolean => ((a - b) | 0) < 0;

export function parseSnapshot(text: string): Visibility {
  const [xmin = '0', xmax = '0', xipText = ''] = text.split(':');
  const xip = xipText === '' ? [] : xipText.split(',');
  return { xmin: to32(xmin), xmax: to32(xmax), xip: new Set(xip.map(to32)), raw: { xmin, xmax, xip } };
}

/** True when the snapshot contains the effects of transaction `xid`. */
export function visibleInSnapshot(v: Visibility, xid: number): boolean {
  if (precedes(xid, v.xmin)) return true;
  if (!precedes(xid, v.xmax)) return false;
  return !v.xip.has(xid);
}
