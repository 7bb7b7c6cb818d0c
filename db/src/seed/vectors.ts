import type { Prng } from './prng';

/** Scales a vector to length 1 in place (cosine search on unit vectors = inner product). */
export function normalize(v: Float64Array): Float64Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum) || 1;
  for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) / norm;
  return v;
}

/** A unit vector with normally distributed direction. */
export function randomUnit(rng: Prng, dims: number): Float64Array {
  const v = new Float64Array(dims);
  for (let i = 0; i < dims; i++) v[i] = rng.normal();
  return normalize(v);
}

/**
 * Rounds to `decimals` places (6 by default; float4 keeps ~7 significant digits) so the stored value
 * is the same whichever way it is sent. `+ 0` turns -0 into 0 so equal data prints equally.
 */
export function vectorArray(v: ArrayLike<number>, decimals = 6): number[] {
  const f = 10 ** decimals;
  return Array.from(v, (x) => Math.round(x * f) / f + 0);
}

export interface ClusteredSpace {
  dims: number;
  /** Cluster centres (unit vectors). */
  centers: Float64Array[];
  /** Low-rank basis the within-cluster variation lives in. */
  basis: Float64Array[];
}

/**
 * A space of clustered, low-rank data: `clusters` centres and a `rank`-dimensional basis. Faces of one
 * identity (or characters drawn in one style) sit around a centre and vary along few directions — the
 * shape real embeddings have, and what makes recall measurements meaningful (uniform random vectors
 * in 512-d are all nearly equidistant, so any index looks perfect or useless).
 */
export function clusteredSpace(rng: Prng, dims: number, clusters: number, rank: number): ClusteredSpace {
  return {
    dims,
    centers: Array.from({ length: clusters }, () => randomUnit(rng, dims)),
    basis: Array.from({ length: rank }, () => randomUnit(rng, dims)),
  };
}

/** A unit vector near centre `cluster`: centre + spread·(low-rank noise) + small full-rank noise. */
export function clusteredVector(space: ClusteredSpace, rng: Prng, cluster: number, spread = 0.35): Float64Array {
  const center = space.centers[cluster % space.centers.length];
  if (center === undefined) throw new RangeError('no clusters');
  const v = Float64Array.from(center);
  const scale = spread / Math.sqrt(space.basis.length);
  for (const direction of space.basis) {
    const w = rng.normal() * scale;
    for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) + w * (direction[i] ?? 0);
  }
  const jitter = 0.02 / Math.sqrt(space.dims);
  for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) + jitter * (rng.next() * 2 - 1);
  return normalize(v);
}
