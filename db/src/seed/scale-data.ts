import { generateNKeysBetween } from 'fractional-indexing';
import type { NewCharacter } from '../schema/characters';
import type { NewProject } from '../schema/projects';
import type { NewScene } from '../schema/scenes';
import type { NewUser } from '../schema/users';
import { FORMAT_TEMPLATES } from './format-templates';
import { sceneParameters } from './demo-data';
import { hash32, prng, rowPrng } from './prng';
import { seedTime, seedUuid } from './seed-ids';
import { clusteredSpace, clusteredVector, vectorArray, type ClusteredSpace } from './vectors';

/** Benchmark layout: each project holds up to this many scenes and as many characters. */
export const ROWS_PER_PROJECT = 100;
/** Each benchmark user owns up to this many projects. */
export const PROJECTS_PER_USER = 10;

export interface ScaleLayout {
  scenes: number;
  characters: number;
  projects: number;
  users: number;
}

export function scaleLayout(n: number): ScaleLayout {
  const projects = Math.ceil(n / ROWS_PER_PROJECT);
  return { scenes: n, characters: n, projects, users: Math.ceil(projects / PROJECTS_PER_USER) };
}

/** Rows of project p: [first, end) global row indexes. */
export function projectRows(n: number, p: number): [number, number] {
  return [p * ROWS_PER_PROJECT, Math.min(n, (p + 1) * ROWS_PER_PROJECT)];
}

const SUBJECTS = ['a detective', 'a young pilot', 'an old fisherman', 'two rival chefs', 'a robot courier', 'a street musician', 'a runaway princess', 'a marine biologist', 'a lost dog', 'a night-shift nurse'];
const PLACES = ['in a neon-lit alley', 'on a windswept cliff', 'in a crowded market', 'aboard a night train', 'in a quiet library', 'on a frozen lake', 'in a desert town', 'on a rooftop at dawn'];
const BEAT_PROMPTS = FORMAT_TEMPLATES.flatMap((t) => t.beats.map((b) => ({ name: b.name, prompt: b.typical_prompt ?? b.name })));
const FIRST_NAMES = ['Ada', 'Leo', 'Mira', 'Kenji', 'Sam', 'Noor', 'Ivan', 'Lucia', 'Tomas', 'Zara', 'Omar', 'Yuki', 'Elena', 'Kofi', 'Priya'];

/** Deterministic rows of a `--scale n` data set under `seed`; generated lazily so memory stays flat. */
export class ScaleData {
  readonly layout: ScaleLayout;
  private readonly ns: string;
  private readonly faces: ClusteredSpace;
  private readonly positions: string[];

  constructor(
    readonly seed: string,
    readonly n: number,
  ) {
    this.layout = scaleLayout(n);
    this.ns = `${seed}/scale`;
    // About 100 characters per identity cluster, like many takes of a few recurring faces.
    this.faces = clusteredSpace(prng(hash32(`${this.ns}/faces`)), 512, Math.max(8, Math.ceil(n / 100)), 16);
    this.positions = generateNKeysBetween(null, null, ROWS_PER_PROJECT);
  }

  userId(u: number): string {
    return seedUuid(this.ns, 'user', u);
  }

  projectId(p: number): string {
    return seedUuid(this.ns, 'project', p);
  }

  user(u: number): NewUser {
    const at = seedTime(u);
    return { id: this.userId(u), email: `bench-user-${u}@storyforge.local`, displayName: `Bench User ${u}`, createdAt: at, updatedAt: at };
  }

  project(p: number): NewProject {
    const at = seedTime(p);
    return { id: this.projectId(p), userId: this.userId(Math.floor(p / PROJECTS_PER_USER)), title: `Benchmark project ${p}`, status: 'active', settings: { aspect_ratio: '16:9', default_provider: 'simulated' }, createdAt: at, updatedAt: at };
  }

  *scenes(p: number): Generator<NewScene> {
    const [first, end] = projectRows(this.n, p);
    const projectId = this.projectId(p);
    for (let i = first; i < end; i++) {
      const rng = rowPrng(this.ns, 'scene', i);
      const beat = rng.pick(BEAT_PROMPTS);
      const at = seedTime(i);
      yield {
        id: seedUuid(this.ns, 'scene', i),
        projectId,
        position: this.positions[i - first] ?? 'a0',
        sequenceNumber: i - first + 1,
        title: beat.name,
        prompt: `${beat.prompt}, ${rng.pick(SUBJECTS)} ${rng.pick(PLACES)}`,
        parameters: sceneParameters(rng, {}),
        status: rng.next() < 0.6 ? 'ready' : 'draft',
        durationSeconds: 3 + rng.int(8),
        createdAt: at,
        updatedAt: at,
      };
    }
  }

  *characters(p: number): Generator<NewCharacter> {
    const [first, end] = projectRows(this.n, p);
    const projectId = this.projectId(p);
    for (let i = first; i < end; i++) {
      const rng = rowPrng(this.ns, 'character', i);
      const at = seedTime(i);
      yield {
        id: seedUuid(this.ns, 'character', i),
        projectId,
        name: `${rng.pick(FIRST_NAMES)} ${i}`,
        appearance: { age: 10 + rng.int(70) },
        faceEmbedding: vectorArray(clusteredVector(this.faces, rng, rng.int(this.faces.centers.length)), 5),
        createdAt: at,
        updatedAt: at,
      };
    }
  }
}
