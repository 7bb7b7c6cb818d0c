import type { GenerationParameters } from './types';

export interface GenerateVideoInput {
  prompt: string;
  parameters: GenerationParameters;
  brainId: string | null;
  /**
   * Fraction of the work already done by reused L3 components (0 = full generation, e.g. 0.6 when the
   * characters and background exist): the provider charges and takes (1 − reuse) of a full render.
   */
  componentReuse?: number;
}

export interface GeneratedVideo {
  video: Uint8Array;
  thumbnail: Uint8Array;
  videoContentType: string;
  thumbnailContentType: string;
  costUsd: number;
  /** How long the provider took (simulated providers report the modelled latency). */
  latencyMs: number;
}

/** A text-to-video provider (runway, sora, kling, or the offline simulated default). */
export interface VideoProvider {
  readonly id: string;
  readonly modelVersion: string;
  /** USD for a full render of these parameters (used for cost-saved accounting and budgets). */
  fullCostUsd(parameters: GenerationParameters): number;
  /**
   * USD that `generate` will bill for these parameters and component reuse — known before rendering, so
   * the user is charged (and refused with 402) on what will actually be spent.
   */
  quoteUsd(parameters: GenerationParameters, componentReuse: number): number;
  generate(input: GenerateVideoInput): Promise<GeneratedVideo>;
}
