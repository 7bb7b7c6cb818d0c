import { sceneParametersSchema } from '@storyforge/db';
import { z } from 'zod';

/** Body of POST /v1/generations. */
export const generationRequestSchema = z.strictObject({
  projectId: z.uuid(),
  sceneId: z.uuid(),
  prompt: z.string().trim().min(1).max(2000),
  parameters: sceneParametersSchema,
  brainId: z.uuid().nullable().optional(),
  regenerate: z.boolean().optional(),
});
export type GenerationRequestBody = z.infer<typeof generationRequestSchema>;

/** 1 credit = $0.01 of inference, rounded up; L1/L2 hits are free. */
export function creditsFor(costUsd: number): number {
  return Math.ceil(Math.round(costUsd * 10_000) / 100);
}
