import type { GenerationParameters } from './types';
import { DEFAULT_DURATION_SECONDS } from './types';
import type { GeneratedVideo, GenerateVideoInput, VideoProvider } from './video-provider';

/**
 * Runway / Sora / Kling-style hosted providers share a shape: POST a job, poll it until it has a video
 * URL, download the bytes. Endpoint paths and body fields differ per vendor and are set per adapter
 * below. Configured by env (providers-from-env.ts); not exercised in tests (paid, no network).
 */
export interface HttpVideoProviderOptions {
  id: 'runway' | 'sora' | 'kling';
  baseUrl: string;
  apiKey: string;
  modelVersion: string;
  usdPerSecond: number;
  fetch?: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  pollIntervalMs?: number;
  timeoutMs?: number;
}

interface Job {
  id: string;
  status: string;
  videoUrl?: string;
  thumbnailUrl?: string;
}

const VENDOR = {
  runway: { create: '/v1/image_to_video', get: (id: string) => `/v1/tasks/${id}` },
  sora: { create: '/v1/videos', get: (id: string) => `/v1/videos/${id}` },
  kling: { create: '/v1/videos/text2video', get: (id: string) => `/v1/videos/text2video/${id}` },
} as const;

export function createHttpVideoProvider(options: HttpVideoProviderOptions): VideoProvider {
  const doFetch = options.fetch ?? fetch;
  const vendor = VENDOR[options.id];
  const duration = (p: GenerationParameters): number => p.duration_seconds ?? DEFAULT_DURATION_SECONDS;
  async function call(path: string, init: RequestInit = {}): Promise<unknown> {
    const res = await doFetch(`${options.baseUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
    });
    if (!res.ok) throw new Error(`${options.id} answered ${res.status} for ${path}`);
    return res.json();
  }
  async function download(url: string): Promise<Uint8Array> {
    const res = await doFetch(url);
    if (!res.ok) throw new Error(`${options.id} media download answered ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  }
  return {
    id: options.id,
    modelVersion: options.modelVersion,
    fullCostUsd: (p) => duration(p) * options.usdPerSecond,
    // Hosted providers render the whole clip whatever L3 holds: the quote is the full price.
    quoteUsd: (p) => duration(p) * options.usdPerSecond,
    async generate(input: GenerateVideoInput): Promise<GeneratedVideo> {
      const started = options.now();
      const created = (await call(vendor.create, {
        method: 'POST',
        body: JSON.stringify({ prompt: input.prompt, duration: duration(input.parameters), model: options.modelVersion }),
      })) as Job;
      const deadline = started + (options.timeoutMs ?? 600_000);
      let job = created;
      while (job.videoUrl === undefined) {
        if (options.now() > deadline) throw new Error(`${options.id} job ${created.id} timed out`);
        if (job.status === 'failed' || job.status === 'FAILED') throw new Error(`${options.id} job ${created.id} failed`);
        await options.sleep(options.pollIntervalMs ?? 2_000);
        job = (await call(vendor.get(created.id))) as Job;
      }
      const video = await download(job.videoUrl);
      const thumbnail = job.thumbnailUrl === undefined ? new Uint8Array(0) : await download(job.thumbnailUrl);
      return {
        video,
        thumbnail,
        videoContentType: 'video/mp4',
        thumbnailContentType: 'image/jpeg',
        costUsd: duration(input.parameters) * options.usdPerSecond,
        latencyMs: options.now() - started,
      };
    },
  };
}
