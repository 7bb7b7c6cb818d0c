import { describe, expect, it } from 'vitest';
import { parseSnapshot, visibleInSnapshot } from './visibility';

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
