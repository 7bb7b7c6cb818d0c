import { z } from 'zod';

/** Upper bound on mutations per request; larger outboxes are pushed in several batches. */
export const MAX_MUTATIONS_PER_BATCH = 1000;

export const MUTATION_OPS = ['insert', 'update', 'delete'] as const;
export type MutationOp = (typeof MUTATION_OPS)[number];

/** One client write as it arrives on the wire; table and fields are checked later, per mutation. */
export const mutationSchema = z.strictObject({
  mutationId: z.uuid(),
  table: z.string().min(1).max(100),
  op: z.enum(MUTATION_OPS),
  id: z.uuid(),
  fields: z.record(z.string(), z.unknown()).default({}),
  hlc: z.string().min(1).max(200),
});
export type Mutation = z.input<typeof mutationSchema>;

/** Body of POST /v1/mutations. */
export const mutationBatchSchema = z.strictObject({
  /** Stable id of the sending device/tab; recorded with each processed mutation. */
  clientId: z.string().min(1).max(100),
  mutations: z.array(mutationSchema).min(1).max(MAX_MUTATIONS_PER_BATCH),
});
export type MutationBatch = z.input<typeof mutationBatchSchema>;

export type MutationResult =
  | { mutationId: string; status: 'applied'; row: Record<string, unknown> | null }
  | { mutationId: string; status: 'duplicate'; txid: number; result: unknown }
  | {
      mutationId: string;
      status: 'rejected';
      error: { code: string; status: number; message: string; details: Record<string, unknown> };
    };
