import { z } from 'zod';

/** Video providers. 'simulated' is the offline default with realistic latency and cost. */
export const MODEL_PROVIDERS = ['simulated', 'runway', 'sora', 'kling'] as const;
export const modelProviderSchema = z.enum(MODEL_PROVIDERS);
export type ModelProvider = z.infer<typeof modelProviderSchema>;
