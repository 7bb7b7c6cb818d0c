import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../store/shape-store';
import { compactEntries } from './compact-log';

let op = 0;
const e = (key: string, operation: string, value: Record<string, string | null>, txid: number): LogEntry => ({
  handle: 'h', lsn: 100 + txid, op: op++,
  body: JSON.stringify({ key, value, headers: { operation, relation: ['public', 't'], txids: [txid], lsn: String(100 + txid), op_position: 0 } }),
});
const view = (entries: LogEntry[]) => entries.map((x) => {
  const m = JSON.parse(x.body) as { key: string; value: unknown; headers: { operation: string; txids: number[] } };
  return [m.key, m.headers.operation, m.value, m.headers.txids];
});

describe('compactEntries', () => {
  it('merges per key into the latest state and keeps log order', () => {
    const out = compactEntries([
      e('a', 'insert', { id: 'a', t: '1', n: '1' }, 1),
      e('b', 'update', { id: 'b', t: 'x' }, 2),
      e('a', 'update', { id: 'a', t: '2' }, 3),
      e('b', 'update', { id: 'b', n: '9' }, 4),
      e('c', 'insert', { id: 'c', t: '1' }, 5),
      e('c', 'delete', { id: 'c' }, 6),
      e('d', 'delete', { id: 'd' }, 7),
      e('d', 'insert', { id: 'd', t: 'new' }, 8),
    ]);
    expect(view(out)).toEqual([
      ['a', 'insert', { id: 'a', t: '2', n: '1' }, [1, 3]],
      ['b', 'update', { id: 'b', t: 'x', n: '9' }, [2, 4]],
      ['c', 'delete', { id: 'c' }, [5, 6]],
      ['d', 'insert', { id: 'd', t: 'new' }, [7, 8]],
    ]);
    expect(out.map((x) => x.lsn)).toEqual([103, 104, 106, 108]);
  });
});
