import { z } from 'zod';
import { modelProviderSchema } from './model-provider';

export const ASPECT_RATIOS = ['16:9', '9:16', '1:1', '4:3', '21:9'] as const;
export const RESOLUTIONS = ['480p', '720p', '1080p', '4k'] as const;

/** projects.settings. Every key optional: the column defaults to {} and the app fills in defaults. */
export const projectSettingsSchema = z.strictObject({
  aspect_ratio: z.enum(ASPECT_RATIOS).optional(),
  resolution: z.enum(RESOLUTIONS).optional(),
  default_provider: modelProviderSchema.optional(),
  fps: z.int().min(12).max(120).optional(),
  default_scene_duration_seconds: z.number().gt(0).max(60).optional(),
  language: z.string().min(2).max(35).optional(),
});
export type ProjectSettings = z.infer<typeof projectSettingsSchema>;
