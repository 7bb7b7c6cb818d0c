import { z } from 'zod';
import { modelProviderSchema } from './model-provider';

/** users.settings: client preferences only (nothing billing- or auth-related lives here). */
export const userSettingsSchema = z.strictObject({
  theme: z.enum(['light', 'dark', 'system']).optional(),
  locale: z.string().min(2).max(35).optional(),
  default_provider: modelProviderSchema.optional(),
});
export type UserSettings = z.infer<typeof userSettingsSchema>;
