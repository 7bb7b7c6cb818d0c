// Shape log offsets: `<lsn>_<op>` with the lsn as a decimal integer. Ours:
//   `0_<page>`  snapshot pages already delivered (0-based), `0_inf` = snapshot complete,
//   `<commit lsn>_<op index>` a change of the transaction committed at that lsn.
// Responses never split a transaction, so any offset whose lsn is a commit lsn means "everything of that
// transaction and before has been delivered" — which also makes the SSE resume point
// `${global_last_seen_lsn}_0` exact.

export type LogOffset =
  | { kind: 'before-all' }
  | { kind: 'snapshot'; page: number }
  | { kind: 'snapshot-done' }
  | { kind: 'log'; lsn: number; op: number };

const LOG_RE = /^(\d{1,20})_(\d{1,10}|inf)$/;

/** Parses an offset string, or returns null when it is not one we could have handed out. */
export function parseOffset(text: string): LogOffset | null {
  if (text === '-1') return { kind: 'before-all' };
  const m = LOG_RE.exec(text);
  if (m === null) return null;
  // LSNs are kept as JS numbers: exact up to 2^53 bytes of WAL (9 PB), far beyond a slot's life.
  const lsn = Number(m[1] ?? '0');
  if (!Number.isSafeInteger(lsn)) return null;
  const opText = m[2] ?? '0';
  if (lsn === 0) return opText === 'inf' ? { kind: 'snapshot-done' } : { kind: 'snapshot', page: Number(opText) };
  if (opText === 'inf') return null;
  return { kind: 'log', lsn, op: Number(opText) };
}

export function formatOffset(offset: LogOffset): string {
  switch (offset.kind) {
    case 'before-all':
      return '-1';
    case 'snapshot':
      return `0_${offset.page}`;
    case 'snapshot-done':
      return '0_inf';
    case 'log':
      return `${offset.lsn}_${offset.op}`;
  }
}

/** Formats a change offset quickly (hot path). */
export function changeOffset(lsn: number, op: number): string {
  return `${lsn}_${op}`;
}
