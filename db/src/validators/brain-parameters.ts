import { z } from 'zod';
import { modelProviderSchema } from './model-provider';
import { unitRangeSchema } from './unit-range';

/** brains.parameters: default biases a brain applies to a scene's dials, plus prompt styling. */
export const brainParametersSchema = z.strictObject({
  lighting: unitRangeSchema.optional(),
  camera_angle: unitRangeSchema.optional(),
  mood: unitRangeSchema.optional(),
  pacing: unitRangeSchema.optional(),
  preferred_provider: modelProviderSchema.optional(),
  style_keywords: z.array(z.string().min(1).max(100)).max(50).optional(),
  negative_prompt: z.string().max(2000).optional(),
  temperature: z.number().min(0).max(2).optional(),
});
export type BrainParameters = z.infer<typeof brainParametersSchema>;
