// A seeded, realistic generation workload with ground truth. Per user: projects that loosely follow a
// format template; a growing pool of intents revisited with Zipf popularity; repeats rendered as exact
// repeats, paraphrases (synonyms the embedder knows AND ones it does not, reordering, filler words) or
// with a deliberately changed parameter; one-attribute hard negatives (colour, count, negation,
// character swapped); slider jitter; ~10 % regenerate; sessions spread over months so TTLs bite.
import { fillBeatPrompt } from '../../src/cache/predict-next-prompts';
import type { GenerationParameters } from '../../src/generation/types';
import { createRandom, type Random } from './random';
import { BENCH_TEMPLATES } from './templates';
import type { TraceKind, TraceRequest } from './trace-types';

export interface TraceOptions {
  seed: number;
  users: number;
  /** Trace length in days. */
  days: number;
  start?: number;
}

const DAY = 86_400_000;
const SUBJECTS = ['car', 'dog', 'lighthouse', 'sailboat', 'robot', 'horse', 'bicycle', 'kite', 'lantern', 'castle', 'bridge', 'train', 'fox', 'violinist', 'balloon', 'umbrella', 'motorcycle', 'whale', 'owl', 'tram'];
const ACTIONS = ['drives past', 'waits beside', 'glows near', 'moves slowly through', 'stands alone in', 'circles above', 'rests beside', 'races across'];
const SETTINGS = ['a busy street', 'the old harbour', 'a misty forest', 'a desert canyon', 'the city rooftops', 'a snowy village', 'a neon alley', 'a quiet beach', 'the train station', 'a sunflower field', 'a mountain lake', 'a crowded market'];
const TIMES = ['at night', 'at dawn', 'at sunset', 'at noon', 'in the rain', 'under a full moon'];
const STYLES = ['cinematic', 'handheld', 'slow motion', 'aerial', 'close up', 'wide angle'];
const COLOURS = ['red', 'blue', 'green', 'yellow', 'white', 'black', 'orange', 'purple'];
const COUNTS = ['two', 'three', 'four', 'five'];
const NEGATIONS = ['without people', 'with no cars', 'without rain', 'with no music'];
const NAMES = ['Mara', 'Theo', 'Iris', 'Jonah', 'Lena', 'Felix', 'Nadia', 'Omar', 'Ruth', 'Silas', 'Vera', 'Elio'];
const SETTINGS_FOR_PROJECTS = ['in a rain soaked harbour town', 'in a quiet mountain village', 'in a neon lit city', 'on a windswept island', 'in a sunlit suburb'];
/** Paraphrase synonyms: the first half the lexical embedder folds, the second half it does not. */
const SYNONYMS: Record<string, string[]> = {
  car: ['automobile', 'vehicle'], street: ['road', 'avenue'], forest: ['woods'], dog: ['puppy'], night: ['nighttime', 'evening'],
  sunset: ['dusk'], beach: ['shore'], village: ['hamlet'], misty: ['foggy'], busy: ['crowded'], old: ['ancient'], quiet: ['calm', 'peaceful'],
  glows: ['shines'], waits: ['lingers'], cinematic: ['filmic'], harbour: ['port'], alley: ['lane'], races: ['speeds'], rests: ['sits'],
  rooftops: ['roofs'], market: ['bazaar'], lake: ['pond'],
};
const FILLERS_BEFORE = ['please show me', 'i want', 'generate a video of', 'make a clip of', 'a scene of', 'show'];
const FILLERS_AFTER = ['please', 'thanks', 'really nice'];

interface Intent {
  key: string;
  subject: string;
  colour: string | null;
  count: string | null;
  action: string;
  setting: string;
  time: string;
  negation: string | null;
  character: string | null;
  style: string;
  params: GenerationParameters;
  /** Identity of the parameter setting: `proj:<projectId>` (the project's usual sliders) or a fresh one. */
  paramSetting: string;
}

/**
 * Truth identity of an intent = its content, so two independently drawn but identical intents are
 * the same video (a cache serving one for the other is right, not a false hit).
 */
function contentKey(i: Intent): string {
  return [i.subject, i.colour, i.count, i.action, i.setting, i.time, i.negation, i.character, i.style].join('/');
}

function render(i: Intent): string {
  const noun = i.count === null ? `a ${i.colour ?? ''} ${i.subject}` : `${i.count} ${i.colour ?? ''} ${i.subject}s`;
  const who = i.character === null ? '' : `${i.character} watches as `;
  const neg = i.negation === null ? '' : `, ${i.negation}`;
  return `${i.style} shot: ${who}${noun} ${i.action} ${i.setting} ${i.time}${neg}`.replace(/\s+/g, ' ');
}

function paraphrase(text: string, r: Random): string {
  let words = text.split(' ');
  if (r.chance(0.7)) words = words.map((w) => (SYNONYMS[w] !== undefined && r.chance(0.6) ? r.pick(SYNONYMS[w]) : w));
  let out = words.join(' ');
  if (r.chance(0.4)) {
    const time = TIMES.find((t) => out.includes(` ${t}`));
    if (time !== undefined) out = `${time}, ${out.replace(` ${time}`, '')}`;
  }
  if (r.chance(0.5)) out = `${r.pick(FILLERS_BEFORE)} ${out}`;
  if (r.chance(0.2)) out = `${out} ${r.pick(FILLERS_AFTER)}`;
  if (r.chance(0.3)) out = out.charAt(0).toUpperCase() + out.slice(1) + '.';
  return out;
}

function randomParams(r: Random, provider: string): GenerationParameters {
  const knob = (): number => Math.round((r.next() * 2 - 1) * 100) / 100;
  return { lighting: knob(), camera_angle: knob(), mood: knob(), pacing: knob(), model_provider: provider };
}

function jitter(p: GenerationParameters, r: Random): GenerationParameters {
  if (!r.chance(0.6)) return p;
  const j = (x: number): number => Math.max(-1, Math.min(1, Math.round((x + (r.next() * 0.08 - 0.04)) * 1000) / 1000));
  return { ...p, lighting: j(p.lighting), camera_angle: j(p.camera_angle), mood: j(p.mood), pacing: j(p.pacing) };
}

/** A deliberate change of one knob by ≥ 0.4: a different video (new truth). */
function changeOneKnob(p: GenerationParameters, r: Random): GenerationParameters {
  const name = r.pick(['lighting', 'camera_angle', 'mood', 'pacing'] as const);
  const delta = (0.4 + r.next() * 0.4) * (p[name] > 0 ? -1 : 1);
  return { ...p, [name]: Math.round((p[name] + delta) * 100) / 100 };
}

export function generateTrace(options: TraceOptions): TraceRequest[] {
  const r = createRandom(options.seed);
  const start = options.start ?? Date.UTC(2026, 0, 1);
  const out: TraceRequest[] = [];
  let seq = 0;
  const templateIds = Object.keys(BENCH_TEMPLATES);
  for (let u = 0; u < options.users; u++) {
    const userId = r.uuid();
    const pool: Intent[] = [];
    const projects = 1 + r.int(3);
    for (let p = 0; p < projects; p++) {
      const projectId = r.uuid();
      const provider = r.chance(0.8) ? 'simulated' : r.pick(['runway', 'kling']);
      const brainId = r.chance(0.5) ? r.uuid() : null;
      const templateId = r.pick(templateIds);
      const beats = BENCH_TEMPLATES[templateId] ?? [];
      const characters = [r.pick(NAMES), r.pick(NAMES)];
      const projectSetting = r.pick(SETTINGS_FOR_PROJECTS);
      const followRate = 0.2 + r.next() * 0.6;
      const projectParams = randomParams(r, provider);
      let beatIndex = -1;
      let previous: TraceRequest | null = null;
      const sessions = 2 + r.int(8);
      const sessionStarts = Array.from({ length: sessions }, () => start + r.next() * options.days * DAY).sort((a, b) => a - b);
      for (const sessionStart of sessionStarts) {
        let t = sessionStart;
        const n = 3 + r.int(12);
        for (let k = 0; k < n; k++) {
          t += 30_000 + r.next() * 300_000;
          const base = { id: `r${++seq}`, at: Math.round(t), userId, projectId, brainId, characterNames: characters };
          let req: TraceRequest;
          const roll = r.next();
          if (previous !== null && roll < 0.1) {
            req = { ...previous, ...base, regenerate: true, truth: { videoKey: previous.truth?.videoKey ?? '', kind: 'regenerate' } };
          } else if (beatIndex + 1 < beats.length && roll < 0.1 + 0.35 * followRate) {
            beatIndex++;
            const beat = beats[beatIndex];
            if (beat === undefined) continue;
            const canonical = fillBeatPrompt(beat, { setting: projectSetting, characters });
            req = {
              ...base,
              prompt: r.chance(0.3) ? paraphrase(canonical, r) : canonical,
              parameters: jitter(projectParams, r),
              template: { id: templateId, beatIndex, setting: projectSetting },
              truth: { videoKey: `${userId}|${projectId}|beat:${beat.key}|${provider}|${brainId}|proj:${projectId}`, kind: 'template' },
            };
          } else {
            let intent: Intent;
            let kind: TraceKind;
            let text: string;
            let params: GenerationParameters;
            const what = r.next();
            if (pool.length === 0 || what < 0.28) {
              const fromProject = r.chance(0.7);
              intent = {
                key: '',
                subject: r.pick(SUBJECTS),
                colour: r.chance(0.6) ? r.pick(COLOURS) : null,
                count: r.chance(0.35) ? r.pick(COUNTS) : null,
                action: r.pick(ACTIONS),
                setting: r.pick(SETTINGS),
                time: r.pick(TIMES),
                negation: r.chance(0.2) ? r.pick(NEGATIONS) : null,
                character: r.chance(0.3) ? r.pick(characters) : null,
                style: r.pick(STYLES),
                params: fromProject ? projectParams : randomParams(r, provider),
                paramSetting: fromProject ? `proj:${projectId}` : `s${++seq}`,
              };
              intent.key = contentKey(intent);
              pool.push(intent);
              kind = 'new';
              text = render(intent);
              params = jitter(intent.params, r);
            } else {
              const existing = pool[pool.length - 1 - r.zipf(pool.length)] as Intent;
              if (what < 0.36) {
                intent = hardNegative(existing, r, characters);
                intent.key = contentKey(intent);
                pool.push(intent);
                kind = 'hard-negative';
                text = render(intent);
                params = jitter(intent.params, r);
              } else if (what < 0.42) {
                intent = { ...existing, params: changeOneKnob(existing.params, r), paramSetting: `s${++seq}` };
                pool.push(intent);
                kind = 'param-change';
                text = render(intent);
                params = intent.params;
              } else {
                intent = existing;
                const exact = r.chance(0.35);
                kind = exact ? 'exact-repeat' : 'paraphrase';
                text = exact ? render(intent) : paraphrase(render(intent), r);
                params = jitter(intent.params, r);
              }
            }
            req = {
              ...base,
              prompt: text,
              parameters: params,
              // The provider is whatever the parameters say (a revisited intent keeps the sliders it was made with).
              truth: { videoKey: `${userId}|${intent.key}|${params.model_provider}|${brainId}|${intent.paramSetting}`, kind },
            };
          }
          out.push(req);
          previous = req;
        }
      }
    }
  }
  return out.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

function hardNegative(i: Intent, r: Random, characters: readonly string[]): Intent {
  const options: Array<() => Intent> = [
    () => ({ ...i, colour: r.pick(COLOURS.filter((c) => c !== i.colour)) }),
    () => ({ ...i, count: r.pick(COUNTS.filter((c) => c !== i.count)) }),
    () => ({ ...i, negation: i.negation === null ? r.pick(NEGATIONS) : null }),
  ];
  if (i.character !== null) {
    const other = characters.find((c) => c !== i.character) ?? r.pick(NAMES.filter((n) => n !== i.character));
    options.push(() => ({ ...i, character: other }));
  }
  return r.pick(options)();
}
