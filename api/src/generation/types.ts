// Shapes shared by the generation pipeline, the cache layers and the benchmark.

/** Creative parameters in −1..1 (DESIGN.md); the provider is a separate string. */
export const NUMERIC_PARAMETERS = ['lighting', 'camera_angle', 'mood', 'pacing'] as const;
export type NumericParameter = (typeof NUMERIC_PARAMETERS)[number];

/** Same keys as @storyforge/db's sceneParametersSchema (scene_versions.parameters). */
export type GenerationParameters = Record<NumericParameter, number> & {
  model_provider: string;
  /** Clip length in seconds; the provider bills per second. Default 5. */
  duration_seconds?: number | undefined;
};

export const DEFAULT_DURATION_SECONDS = 5;

export const LAYERS = ['L1', 'L2', 'L3', 'L4', 'miss'] as const;
export type Layer = (typeof LAYERS)[number];

/** What the cache needs to know about one request: the scope, the text and the knobs. */
export interface CacheRequest {
  tenantId: string;
  projectId: string;
  prompt: string;
  parameters: GenerationParameters;
  brainId: string | null;
  modelVersion: string;
  /** Names of the project's characters, so a swapped character is a salient mismatch. */
  characterNames?: readonly string[];
}

/** A generated video as the cache remembers it. */
export interface CachedVideo {
  videoUrl: string;
  thumbnailUrl: string;
  mediaAssetId?: string;
  /** What producing it cost (USD). */
  costUsd: number;
  generationMs: number;
  /** Id of the request whose generation produced this video (the bench's ground truth uses it). */
  sourceRequestId: string;
}
