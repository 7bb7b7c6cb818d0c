import type { GenerationParameters, Layer } from '../../src/generation/types';

/**
 * One line of a trace file (`--trace requests.jsonl`). `truth` is optional: the generator writes it,
 * an operator's own log usually has none (then false hits cannot be counted and the oracle falls back
 * to exact repeats — a lower bound of the real oracle).
 */
export interface TraceRequest {
  id: string;
  /** Epoch ms. */
  at: number;
  userId: string;
  projectId: string;
  prompt: string;
  parameters: GenerationParameters;
  brainId: string | null;
  regenerate?: boolean;
  characterNames?: string[];
  /** Built-in template (bench/cache/templates.ts) and beat this scene follows, enabling L4. */
  template?: { id: string; beatIndex: number; setting: string };
  truth?: {
    /** Two requests with the same key want the same video. */
    videoKey: string;
    kind: TraceKind;
  };
}

export type TraceKind = 'new' | 'exact-repeat' | 'paraphrase' | 'hard-negative' | 'param-change' | 'template' | 'regenerate';

/** One line of the decisions file. */
export interface TraceDecision {
  id: string;
  layer: Layer;
  /** Id of the request whose video was served (null when a new video was rendered). */
  servedFrom: string | null;
  similarity?: number;
  costUsd: number;
  /** Known only with truth: false = a wrong video was served. */
  correct?: boolean;
}
