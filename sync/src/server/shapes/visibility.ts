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

/**
 * True when a transaction arriving from the stream for a READY shape is already in its snapshot (the
 * stream lagged behind the snapshot): only transactions committed before the snapshot's WAL position can
 * be, and of those exactly the ones its xid snapshot saw.
 */
export function alreadyInSnapshot(
  shape: { snapshotLsn: number; visibility: Visibility | null },
  commitLsn: number,
  xid: number,
): boolean {
  return commitLsn < shape.snapshotLsn && shape.visibility !== null && visibleInSnapshot(shape.visibility, xid);
}

/** The visibility a stored snapshot-end control message describes (null when it has none). */
export function visibilityOfSnapshotEnd(snapshotEnd: string): Visibility | null {
  if (snapshotEnd === '') return null;
  const { headers } = JSON.parse(snapshotEnd) as { headers: { xmin?: string; xmax?: string; xip_list?: string[] } };
  if (headers.xmin === undefined || headers.xmax === undefined) return null;
  return parseSnapshot(`${headers.xmin}:${headers.xmax}:${(headers.xip_list ?? []).join(',')}`);
}
