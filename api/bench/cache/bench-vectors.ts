// Shared by the vector latency benches: clustered test vectors, bulk loading, result rows.
// Vectors are clustered (centres + noise), never uniform random: uniform data makes every ANN index look
// better than it is.
import { percentile, type BenchEnv } from './bench-env';
import type { Random } from './random';

export function centres(r: Random, n: number, dim: number): Float32Array[] {
  return Array.from({ length: n }, () => Float32Array.from({ length: dim }, () => r.next() * 2 - 1));
}

/** A unit vector near one of `centres` (uniform noise of ± `noise` per component). */
export function clustered(r: Random, dim: number, cs: readonly Float32Array[], noise: number): Float32Array {
  const c = cs[r.int(cs.length)] as Float32Array;
  const v = new Float32Array(dim);
  let norm = 0;
  for (let i = 0; i < dim; i++) {
    v[i] = (c[i] as number) + (r.next() * 2 - 1) * noise;
    norm += (v[i] as number) ** 2;
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < dim; i++) v[i] = (v[i] as number) / norm;
  return v;
}

/** pgvector text literal with 5 decimals (shorter COPY lines; the bench does not need float32 precision). */
export function vectorLiteral(v: Float32Array): string {
  return `[${Array.from(v, (x) => Math.round(x * 1e5) / 1e5).join(',')}]`;
}

/** Text COPY (binary COPY of pgvector values would be faster; this is simple and fine for a bench). */
export async function copyRows(env: BenchEnv, table: string, columns: string, rows: Iterable<string> | AsyncIterable<string>): Promise<void> {
  const stream = await env.sql.unsafe(`copy ${table} (${columns}) from stdin`).writable();
  for await (const line of rows) {
    if (!stream.write(`${line}\n`)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

/**
 * One result line: label, target, p50/p95/p99 and PASS/FAIL on the percentile the target names; a
 * comparison row (an alternative plan, not what the product runs) says so instead of PASS/FAIL.
 */
export function latencyRow(label: string, target: { text: string; percentile: 95 | 99; ms: number }, samples: readonly number[], extra = '', extraPass = true, comparison = false): string {
  const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(samples, p)) as [number, number, number];
  const pass = (target.percentile === 95 ? p95 : p99) < target.ms && extraPass;
  const verdict = comparison ? '(comparison, not a target)' : pass ? 'PASS' : 'FAIL';
  return `  ${label.padEnd(58)} target ${target.text.padEnd(12)} p50 ${p50.toFixed(2)} ms  p95 ${p95.toFixed(2)} ms  p99 ${p99.toFixed(2)} ms${extra}  ${verdict}`;
}

export function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(0)} s`;
}
