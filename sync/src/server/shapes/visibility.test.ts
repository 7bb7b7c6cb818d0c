import { describe, expect, it } from 'vitest';
import { alreadyInSnapshot, parseSnapshot, visibilityOfSnapshotEnd, visibleInSnapshot } from './visibility';

describe('snapshot visibility', () => {
  const v = parseSnapshot('100:105:101,103');
  it.each([
    [99, true],
    [100, true],
    [101, false],
    [102, true],
    [103, false],
    [104, true],
    [105, false],
    [200, false],
  ])('xid %i visible = %s', (xid, visible) => {
    expect(visibleInSnapshot(v, xid)).toBe(visible);
  });
  it('maps 64-bit xids (epoch 1) to the 32-bit stream xid', () => {
    const e = parseSnapshot(`${2 ** 32 + 10}:${2 ** 32 + 12}:`);
    expect(visibleInSnapshot(e, 9)).toBe(true);
    expect(visibleInSnapshot(e, 12)).toBe(false);
    expect(e.raw.xmin).toBe(String(2 ** 32 + 10));
  });
  it('compares across 32-bit wraparound', () => {
    const w = parseSnapshot(`${2 ** 32 - 2}:${2 ** 32 + 3}:`);
    expect(visibleInSnapshot(w, 2 ** 32 - 3)).toBe(true);
    expect(visibleInSnapshot(w, 1)).toBe(true);
    expect(visibleInSnapshot(w, 3)).toBe(false);
  });
});

describe('a ready shape whose stream is behind its snapshot', () => {
  const shape = { snapshotLsn: 5_000, visibility: parseSnapshot('100:105:101,103') };
  it('skips exactly the transactions the snapshot saw, and only before its WAL position', () => {
    expect(alreadyInSnapshot(shape, 4_000, 99)).toBe(true);
    expect(alreadyInSnapshot(shape, 4_000, 102)).toBe(true);
    expect(alreadyInSnapshot(shape, 4_000, 101)).toBe(false); // in progress at the snapshot
    expect(alreadyInSnapshot(shape, 4_000, 105)).toBe(false); // started after it
    expect(alreadyInSnapshot(shape, 5_000, 99)).toBe(false); // committed at/after the snapshot position
    expect(alreadyInSnapshot({ snapshotLsn: 0, visibility: shape.visibility }, 4_000, 99)).toBe(false);
    expect(alreadyInSnapshot({ snapshotLsn: 5_000, visibility: null }, 4_000, 99)).toBe(false);
  });
  it('rebuilds the visibility from the stored snapshot-end message', () => {
    const end = JSON.stringify({ headers: { control: 'snapshot-end', xmin: '100', xmax: '105', xip_list: ['101', '103'] } });
    const v = visibilityOfSnapshotEnd(end);
    expect(v?.xip).toEqual(new Set([101, 103]));
    expect(v !== null && visibleInSnapshot(v, 102)).toBe(true);
    expect(visibilityOfSnapshotEnd('')).toBeNull();
  });
});
