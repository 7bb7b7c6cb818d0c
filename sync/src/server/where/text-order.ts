/**
 * Text ordering by Unicode code point, i.e. Postgres's "C" collation on UTF-8 (byte order = code point
 * order). JS `<` compares UTF-16 code units, which puts U+E000..U+FFFF after astral characters; remapping
 * the differing units fixes that without allocating. Linguistic collations (en_US…) order differently:
 * that is why the rendered SQL adds `COLLATE "C"` to text ordering comparisons.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return remap(x) - remap(y);
  }
  return a.length - b.length;
}

function remap(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}
