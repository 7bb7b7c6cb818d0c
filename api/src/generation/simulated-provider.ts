import { createHash } from 'node:crypto';
import { DEFAULT_DURATION_SECONDS, type GenerationParameters } from './types';
import type { GeneratedVideo, GenerateVideoInput, VideoProvider } from './video-provider';

export interface SimulatedProviderOptions {
  /** Provider id to answer as (the benchmark simulates runway/kling too). Default 'simulated'. */
  id?: string;
  /** USD per second of video. Default 0.10 (a 5 s clip costs $0.50, in line with hosted providers' list prices). */
  usdPerSecond?: number;
  /** Modelled latency: base + per-second-of-video. Defaults 8 s + 4 s/s (a 5 s clip ≈ 28 s). */
  baseLatencyMs?: number;
  latencyPerSecondMs?: number;
  /**
   * How to wait out the modelled latency. Default: don't wait (tests, benchmarks, replay); a dev server
   * can pass `(ms) => setTimeout-promise(ms * 0.01)` to feel it. The reported latency is always the model's.
   */
  sleep?: (ms: number) => Promise<void>;
  /** Bytes of fake video per second of clip. Default 4096. */
  bytesPerSecond?: number;
}

/**
 * Offline default provider: deterministic output (same prompt + parameters + brain → same bytes, so the
 * media store dedupes them), realistic cost and latency, no network.
 */
export function createSimulatedProvider(options: SimulatedProviderOptions = {}): VideoProvider {
  const usdPerSecond = options.usdPerSecond ?? 0.1;
  const base = options.baseLatencyMs ?? 8_000;
  const perSecond = options.latencyPerSecondMs ?? 4_000;
  const bytesPerSecond = options.bytesPerSecond ?? 4096;
  const duration = (p: GenerationParameters): number => p.duration_seconds ?? DEFAULT_DURATION_SECONDS;
  return {
    id: options.id ?? 'simulated',
    modelVersion: 'sim-1',
    fullCostUsd: (p) => round4(duration(p) * usdPerSecond),
    quoteUsd: (p, componentReuse) => round4(duration(p) * usdPerSecond * (1 - clampReuse(componentReuse))),
    async generate(input: GenerateVideoInput): Promise<GeneratedVideo> {
      const reuse = clampReuse(input.componentReuse ?? 0);
      const seconds = duration(input.parameters);
      const latencyMs = Math.round((base + perSecond * seconds) * (1 - reuse));
      if (options.sleep) await options.sleep(latencyMs);
      const seed = createHash('sha256')
        .update(JSON.stringify([input.prompt, input.parameters, input.brainId]))
        .digest();
      return {
        video: Buffer.concat([Buffer.from('SIMVIDEO'), expand(seed, Math.round(seconds * bytesPerSecond))]),
        thumbnail: Buffer.concat([Buffer.from('SIMTHUMB'), expand(seed, 256)]),
        videoContentType: 'video/mp4',
        thumbnailContentType: 'image/jpeg',
        costUsd: round4(seconds * usdPerSecond * (1 - reuse)),
        latencyMs,
      };
    },
  };
}

/** Deterministic pseudo-random bytes from a seed (sha256 in counter mode). */
function expand(seed: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0, counter = 0; i < length; counter++) {
    const block = createHash('sha256').update(seed).update(String(counter)).digest();
    i += block.copy(out, i);
  }
  return out;
}

/** At most 90 % of a render can be reused: the shot itself is always rendered. */
function clampReuse(reuse: number): number {
  return Math.max(0, Math.min(0.9, reuse));
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
