// Log compaction: collapses a shape's log prefix to one message per row key, so a client starting from the
// snapshot ends in the same state as one that read every change. Rules per key, in log order:
//   insert → insert; insert + update → insert (merged row); update + update → update (merged columns);
//   anything + delete → delete; delete + insert → insert. txids are unioned (capped) so write
//   confirmation still works for clients that start after the compaction.
import type { ChangeMessage } from '../../protocol/messages';
import type { LogEntry } from '../store/shape-store';

const MAX_TXIDS = 64;

export function compactEntries(entries: readonly LogEntry[]): LogEntry[] {
  const byKey = new Map<string, { entry: LogEntry; msg: ChangeMessage }>();
  for (const entry of entries) {
    const msg = JSON.parse(entry.body) as ChangeMessage;
    const prev = byKey.get(msg.key);
    if (prev !== undefined) byKey.delete(msg.key); // re-insert below so Map order follows the latest position
    if (prev === undefined || msg.headers.operation !== 'update' || prev.msg.headers.operation === 'delete') {
      byKey.set(msg.key, { entry, msg: withTxids(msg, prev?.msg) });
      continue;
    }
    const merged: ChangeMessage = {
      key: msg.key,
      value: { ...prev.msg.value, ...msg.value },
      headers: { ...msg.headers, operation: prev.msg.headers.operation },
    };
    if (prev.msg.old_value !== undefined || msg.old_value !== undefined) merged.old_value = { ...msg.old_value, ...prev.msg.old_value };
    byKey.set(msg.key, { entry, msg: withTxids(merged, prev.msg) });
  }
  const out: LogEntry[] = [];
  for (const { entry, msg } of byKey.values()) out.push({ ...entry, body: JSON.stringify(msg) });
  out.sort((a, b) => a.lsn - b.lsn || a.op - b.op);
  return out;
}

function withTxids(msg: ChangeMessage, prev: ChangeMessage | undefined): ChangeMessage {
  if (prev?.headers.txids === undefined) return msg;
  const txids = [...new Set([...prev.headers.txids, ...(msg.headers.txids ?? [])])].slice(-MAX_TXIDS);
  return { ...msg, headers: { ...msg.headers, txids } };
}
