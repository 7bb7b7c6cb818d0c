import { createHttpVideoProvider } from './http-video-provider';
import { createSimulatedProvider } from './simulated-provider';
import type { VideoProvider } from './video-provider';

export interface ProvidersFromEnvOptions {
  env: Record<string, string | undefined>;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

/**
 * The simulated provider always; runway/sora/kling when `<NAME>_API_KEY` is set (optional
 * `<NAME>_BASE_URL`, `<NAME>_MODEL`, `<NAME>_USD_PER_SECOND`). Keyed by the `model_provider` parameter.
 */
export function providersFromEnv({ env, sleep, now }: ProvidersFromEnvOptions): Map<string, VideoProvider> {
  const providers = new Map<string, VideoProvider>([['simulated', createSimulatedProvider()]]);
  const defaults = {
    runway: { baseUrl: 'https://api.dev.runwayml.com', model: 'gen4_turbo', usd: 0.05 },
    sora: { baseUrl: 'https://api.openai.com', model: 'sora-2', usd: 0.1 },
    kling: { baseUrl: 'https://api.klingai.com', model: 'kling-v2', usd: 0.07 },
  } as const;
  for (const id of ['runway', 'sora', 'kling'] as const) {
    const upper = id.toUpperCase();
    const apiKey = env[`${upper}_API_KEY`];
    if (apiKey === undefined || apiKey === '') continue;
    const d = defaults[id];
    providers.set(
      id,
      createHttpVideoProvider({
        id,
        apiKey,
        baseUrl: env[`${upper}_BASE_URL`] ?? d.baseUrl,
        modelVersion: env[`${upper}_MODEL`] ?? d.model,
        usdPerSecond: Number(env[`${upper}_USD_PER_SECOND`] ?? d.usd),
        sleep,
        now,
      }),
    );
  }
  return providers;
}
