import { z } from 'zod';
import { modelProviderSchema } from './model-provider';
import { unitRangeSchema } from './unit-range';

/**
 * scenes.parameters / scene_versions.parameters. Strict: an unknown key is a client bug, not data to keep.
 *
 * @example sceneParametersSchema.parse({ lighting: 0.2, camera_angle: 0, mood: -0.5, pacing: 1, model_provider: 'simulated' })
 */
export const sceneParametersSchema = z.strictObject({
  lighting: unitRangeSchema,
  camera_angle: unitRangeSchema,
  mood: unitRangeSchema,
  pacing: unitRangeSchema,
  model_provider: modelProviderSchema,
  duration_seconds: z.number().gt(0).max(60).optional(),
});
export type SceneParameters = z.infer<typeof sceneParametersSchema>;
