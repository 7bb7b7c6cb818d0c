import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeFields } from './lww-merge';

const h = (wall: number, counter: number, client: string) =>
  `${String(wall).padStart(15, '0')}-${String(counter).padStart(6, '0')}-${client}`;

describe('mergeFields', () => {
  it.each([
    { name: 'new row takes everything', clocks: {}, hlc: h(1, 0, 'a'), incoming: { title: 'x' }, winners: { title: 'x' } },
    { name: 'newer wall wins', clocks: { title: h(1, 0, 'z') }, hlc: h(2, 0, 'a'), incoming: { title: 'x' }, winners: { title: 'x' } },
    { name: 'older wall loses', clocks: { title: h(2, 0, 'a') }, hlc: h(1, 9, 'z'), incoming: { title: 'x' }, winners: {} },
    { name: 'counter breaks wall tie', clocks: { title: h(2, 1, 'z') }, hlc: h(2, 2, 'a'), incoming: { title: 'x' }, winners: { title: 'x' } },
    { name: 'higher client id breaks full tie', clocks: { title: h(2, 1, 'a') }, hlc: h(2, 1, 'b'), incoming: { title: 'x' }, winners: { title: 'x' } },
    { name: 'lower client id loses full tie', clocks: { title: h(2, 1, 'b') }, hlc: h(2, 1, 'a'), incoming: { title: 'x' }, winners: {} },
    { name: 'identical clock = replay, loses', clocks: { title: h(2, 1, 'a') }, hlc: h(2, 1, 'a'), incoming: { title: 'x' }, winners: {} },
    {
      name: 'fields are independent',
      clocks: { title: h(5, 0, 'a'), prompt: h(1, 0, 'a') },
      hlc: h(3, 0, 'b'),
      incoming: { title: 'x', prompt: 'y', status: 'ready' },
      winners: { prompt: 'y', status: 'ready' },
    },
  ])('$name', ({ clocks, hlc, incoming, winners }) => {
    const r = mergeFields({ clocks, hlc, incoming });
    expect(r.winners).toEqual(winners);
    for (const f of Object.keys(incoming)) {
      expect(r.clocks[f]).toBe(f in winners ? hlc : (clocks as Record<string, string>)[f]);
    }
    expect(r.losers.sort()).toEqual(Object.keys(incoming).filter((f) => !(f in winners)).sort());
  });

  // A write = (hlc, fields). Applying any permutation with any duplication yields the same row.
  const writeArb = fc.record({
    wall: fc.integer({ min: 0, max: 5 }),
    counter: fc.integer({ min: 0, max: 2 }),
    client: fc.constantFrom('a', 'b', 'c'),
    fields: fc.dictionary(fc.constantFrom('title', 'prompt', 'status'), fc.string({ maxLength: 3 }), { minKeys: 1 }),
  });

  function applyAll(writes: { hlc: string; fields: Record<string, unknown> }[]) {
    let row: Record<string, unknown> = {};
    let clocks: Record<string, string> = {};
    for (const w of writes) {
      const r = mergeFields({ incoming: w.fields, hlc: w.hlc, clocks });
      row = { ...row, ...r.winners };
      clocks = r.clocks;
    }
    return { row, clocks };
  }

  it('is commutative and idempotent (any order, any duplication → same row)', () => {
    fc.assert(
      fc.property(
        // One clock is one write: a client never reuses an HLC for different content.
        fc.uniqueArray(writeArb, { selector: (w) => h(w.wall, w.counter, w.client), maxLength: 8 }),
        fc.infiniteStream(fc.nat()),
        (writes, rnd) => {
          const ws = writes.map((w) => ({ hlc: h(w.wall, w.counter, w.client), fields: w.fields }));
          const reference = applyAll(ws);
          const it = rnd[Symbol.iterator]();
          const next = () => it.next().value as number;
          const shuffled = [...ws, ...ws.filter(() => next() % 2 === 0)];
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = next() % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
          }
          expect(applyAll(shuffled)).toEqual(reference);
        },
      ),
    );
  });
});
