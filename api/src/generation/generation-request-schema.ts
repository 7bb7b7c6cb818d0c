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
