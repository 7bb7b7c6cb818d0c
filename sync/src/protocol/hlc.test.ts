import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clampHlc, compareHlc, formatHlc, HlcError, isHlc, parseHlc, receiveHlc, tickHlc, type Hlc } from './hlc';

const hlcArb = fc.record({
  wall: fc.integer({ min: 0, max: 10 ** 15 - 1 }),
  counter: fc.integer({ min: 0, max: 999_999 }),
  clientId: fc.stringMatching(/^[a-z0-9-]{1,12}$/),
});

function cmpTuple(a: Hlc, b: Hlc): number {
  if (a.wall !== b.wall) return a.wall < b.wall ? -1 : 1;
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  return a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0;
}

describe('hlc', () => {
  it('formats to the fixed-width wire form and parses it back', () => {
    expect(formatHlc({ wall: 1700000000000, counter: 3, clientId: 'abc' })).toBe('001700000000000-000003-abc');
    fc.assert(fc.property(hlcArb, (h) => {
        expect(parseHlc(formatHlc(h))).toEqual(h);
      }));
  });

  it('string order equals (wall, counter, clientId) order', () => {
    fc.assert(
      fc.property(hlcArb, hlcArb, (a, b) => {
        expect(compareHlc(formatHlc(a), formatHlc(b))).toBe(Math.sign(cmpTuple(a, b)));
      }),
    );
  });

  it('rejects malformed strings with a stable code', () => {
    for (const bad of ['', '1-2-3', '001700000000000-000003-', 'x01700000000000-000003-a', '001700000000000-00003-a']) {
      expect(isHlc(bad)).toBe(false);
      try {
        parseHlc(bad);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(HlcError);
        expect((e as HlcError).code).toBe('hlc_malformed');
      }
    }
  });

  it('tick is strictly monotonic even when the physical clock goes backwards', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2_000_000_000_000 }), { maxLength: 50 }), (times) => {
        let last: Hlc | undefined;
        for (const t of times) {
          const next = tickHlc(last, t, 'n');
          if (last) expect(compareHlc(formatHlc(next), formatHlc(last))).toBe(1);
          expect(next.wall).toBeGreaterThanOrEqual(t);
          last = next;
        }
      }),
    );
  });

  it('receive moves past both the local and the remote clock', () => {
    fc.assert(
      fc.property(fc.option(hlcArb, { nil: undefined }), hlcArb, fc.integer({ min: 0, max: 10 ** 13 }), (local, remote, now) => {
        fc.pre((local?.counter ?? 0) < 999_999 && remote.counter < 999_999);
        const next = receiveHlc(local, remote, now, 'me');
        const after = (a: Hlc, b: Hlc) => a.wall > b.wall || (a.wall === b.wall && a.counter > b.counter);
        expect(after(next, remote)).toBe(true);
        if (local) expect(after(next, local)).toBe(true);
        expect(next.wall).toBeGreaterThanOrEqual(now);
      }),
    );
  });

  it('counter overflow is an error, not a silent wrap', () => {
    expect(() => tickHlc({ wall: 5, counter: 999_999, clientId: 'a' }, 5, 'a')).toThrow(HlcError);
  });

  it('clamps clocks too far ahead of the server, leaves others alone', () => {
    const now = 1_700_000_000_000;
    const ok = formatHlc({ wall: now + 59_000, counter: 7, clientId: 'c' });
    expect(clampHlc(ok, { now, maxDriftMs: 60_000 })).toBe(ok);
    const ahead = formatHlc({ wall: now + 3_600_000, counter: 7, clientId: 'c' });
    expect(parseHlc(clampHlc(ahead, { now, maxDriftMs: 60_000 }))).toEqual({ wall: now + 60_000, counter: 7, clientId: 'c' });
  });
});
