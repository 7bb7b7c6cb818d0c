// L4's predictor, pure: from the project's format template beats and where the story is now, guess the
// next scenes' prompts with a confidence. Confidence = how close the beat is (the next one is likelier
// than the one after) × how often this project has followed its template so far (Laplace-smoothed),
// so a project that ignores its template stops burning pre-generation budget.

export interface BeatLike {
  key: string;
  name: string;
  typical_prompt?: string;
}

export interface ProjectContext {
  /** Where the story happens, e.g. "in a rain-soaked harbour town"; appended like the demo seed does. */
  setting?: string;
  /** Character names, substituted for {character}, {character2}. */
  characters?: readonly string[];
}

export interface PredictedPrompt {
  beatKey: string;
  prompt: string;
  confidence: number;
}

export interface PredictOptions {
  beats: readonly BeatLike[];
  /** Index of the beat the user just generated. */
  beatIndex: number;
  context: ProjectContext;
  /** Predictions this project has used / made so far. */
  used: number;
  made: number;
  /** How many beats ahead to look. Default 2. */
  lookahead?: number;
}

/** Decay per beat of distance: the next beat 0.9, the one after 0.5. */
const DISTANCE_WEIGHT = [0.9, 0.5, 0.25];

export function fillBeatPrompt(beat: BeatLike, context: ProjectContext): string {
  const [first = 'the hero', second = 'a stranger'] = context.characters ?? [];
  const text = (beat.typical_prompt ?? beat.name).replaceAll('{character}', first).replaceAll('{character2}', second);
  return context.setting === undefined || context.setting === '' ? text : `${text}, ${context.setting}`;
}

export function predictNextPrompts(options: PredictOptions): PredictedPrompt[] {
  const followRate = (options.used + 1) / (options.made + 2);
  const out: PredictedPrompt[] = [];
  const lookahead = options.lookahead ?? 2;
  for (let d = 1; d <= lookahead; d++) {
    const beat = options.beats[options.beatIndex + d];
    if (beat === undefined) break;
    out.push({
      beatKey: beat.key,
      prompt: fillBeatPrompt(beat, options.context),
      confidence: (DISTANCE_WEIGHT[d - 1] ?? 0.1) * followRate,
    });
  }
  return out;
}
