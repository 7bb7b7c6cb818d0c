import { z } from 'zod';

/**
 * A pgvector value of exactly `dims` finite numbers, as number[] or Float32Array (what the browser
 * mirror stores); the output is always number[] (what drizzle's vector column takes).
 * NaN and ±Infinity are refused here because pgvector refuses them too, with a less useful error.
 *
 * @example vectorSchema(512).parse(new Float32Array(512))
 */
export function vectorSchema(dims: number) {
  const asArray = z.array(z.number()).length(dims, `expected exactly ${dims} numbers`);
  const asFloat32 = z
    .instanceof(Float32Array)
    .refine((v) => v.length === dims, `expected exactly ${dims} numbers`)
    .refine((v) => v.every(Number.isFinite), 'every element must be a finite number')
    .transform((v) => Array.from(v));
  return z.union([asArray, asFloat32]);
}
