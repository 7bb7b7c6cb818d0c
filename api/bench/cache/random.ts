/** Seeded PRNG (mulberry32): every trace is reproducible from its seed. */
export function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    chance: (p: number): boolean => next() < p,
    pick: <T>(items: readonly T[]): T => items[int(items.length)] as T,
    /** Zipf(s) over ranks 0..n-1: rank 0 is the most popular. */
    zipf(n: number, s = 1.1): number {
      let total = 0;
      for (let k = 1; k <= n; k++) total += 1 / k ** s;
      let u = next() * total;
      for (let k = 1; k <= n; k++) {
        u -= 1 / k ** s;
        if (u <= 0) return k - 1;
      }
      return n - 1;
    },
    uuid(): string {
      const h = Array.from({ length: 32 }, () => int(16).toString(16)).join('');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
}

export type Random = ReturnType<typeof createRandom>;
