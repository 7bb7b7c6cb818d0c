import { generateNKeysBetween } from 'fractional-indexing';
import type { NewBrain } from '../schema/brains';
import type { NewCharacter } from '../schema/characters';
import type { NewFormatTemplate } from '../schema/format-templates';
import type { NewProject } from '../schema/projects';
import type { NewSceneVersion } from '../schema/scene-versions';
import type { NewScene } from '../schema/scenes';
import type { NewUser } from '../schema/users';
import type { BrainParameters } from '../validators/brain-parameters';
import type { SceneParameters } from '../validators/scene-parameters';
import { DEMO_STORIES } from './demo-stories';
import { FORMAT_TEMPLATES } from './format-templates';
import { brainStyleVector, MARKETPLACE_BRAINS } from './marketplace-brains';
import { hash32, prng, rowPrng, type Prng } from './prng';
import { seedTime, seedUuid } from './seed-ids';
import { clusteredSpace, clusteredVector, vectorArray } from './vectors';

export const DEFAULT_SEED = 'storyforge-demo';
export const DEMO_USER_EMAIL = 'demo@storyforge.local';
export const STUDIO_USER_EMAIL = 'studio@storyforge.local';
/** Credits the demo user starts with, granted through one credit_ledger 'grant' row. */
export const DEMO_GRANT_CREDITS = 1000;

export interface DemoData {
  demoUser: NewUser;
  /** The marketplace's curator: owns the public brains. */
  studioUser: NewUser;
  formatTemplates: NewFormatTemplate[];
  brains: NewBrain[];
  projects: NewProject[];
  scenes: NewScene[];
  characters: NewCharacter[];
  sceneVersions: NewSceneVersion[];
}

const HOUR = 3_600_000;

/** The fixed id of the demo user for a seed (what the lead's "demo login" mints a token for). */
export function demoUserId(seed = DEFAULT_SEED): string {
  return seedUuid(seed, 'user', 0);
}

/** Scene dials: the brain's defaults, nudged per scene, rounded to 2 decimals. */
export function sceneParameters(rng: Prng, base: Pick<BrainParameters, 'lighting' | 'camera_angle' | 'mood' | 'pacing'>): SceneParameters {
  const dial = (b: number | undefined) => Math.round(Math.max(-1, Math.min(1, (b ?? 0) + (rng.next() - 0.5) * 0.6)) * 100) / 100 + 0;
  return {
    lighting: dial(base.lighting),
    camera_angle: dial(base.camera_angle),
    mood: dial(base.mood),
    pacing: dial(base.pacing),
    model_provider: 'simulated',
  };
}

/**
 * Every demo row, as plain values: no clock, no randomness but the seed. seedDemo writes these; tests
 * compare them. Timestamps are SEED_EPOCH plus fixed offsets so a re-seed writes identical bytes.
 */
export function buildDemoData(seed = DEFAULT_SEED): DemoData {
  const at = seedTime(0);
  const times = { createdAt: at, updatedAt: at };
  const demoUser: NewUser = { id: demoUserId(seed), email: DEMO_USER_EMAIL, displayName: 'Demo Director', subscriptionTier: 'pro', settings: { theme: 'system', locale: 'en', default_provider: 'simulated' }, ...times };
  const studioUser: NewUser = { id: seedUuid(seed, 'user', 1), email: STUDIO_USER_EMAIL, displayName: 'StoryForge Studio', subscriptionTier: 'studio', ...times };

  const templateIds = new Map<string, string>();
  const formatTemplates = FORMAT_TEMPLATES.map((t, i): NewFormatTemplate => {
    const id = seedUuid(seed, 'format_template', i);
    templateIds.set(t.slug, id);
    return { id, creatorId: null, name: t.name, description: t.description, beats: t.beats, isPublic: true, ...times };
  });

  const brainIds = new Map<string, string>();
  const brains = MARKETPLACE_BRAINS.map((b, i): NewBrain => {
    const id = seedUuid(seed, 'brain', i);
    brainIds.set(b.slug, id);
    return { id, userId: studioUser.id, name: b.name, description: b.description, styleVector: brainStyleVector(seed, b, 128), parameters: b.parameters, isPublic: true, priceCredits: b.priceCredits, ...times };
  });

  const faces = clusteredSpace(prng(hash32(`${seed}/demo-faces`)), 512, 64, 16);
  const projects: NewProject[] = [];
  const scenes: NewScene[] = [];
  const characters: NewCharacter[] = [];
  const sceneVersions: NewSceneVersion[] = [];
  DEMO_STORIES.forEach((story, p) => {
    const template = FORMAT_TEMPLATES.find((t) => t.slug === story.template);
    const brain = MARKETPLACE_BRAINS.find((b) => b.slug === story.brain);
    if (template === undefined || brain === undefined) throw new Error(`demo story ${story.slug} names an unknown template or brain`);
    const projectId = seedUuid(seed, 'project', p);
    const projectTimes = { createdAt: seedTime(p * HOUR), updatedAt: seedTime(p * HOUR) };
    projects.push({ id: projectId, userId: demoUser.id, title: story.title, description: story.description, formatTemplateId: templateIds.get(template.slug) ?? null, brainId: brainIds.get(brain.slug) ?? null, settings: story.settings, status: 'active', ...projectTimes });
    const positions = generateNKeysBetween(null, null, template.beats.length);
    template.beats.forEach((beat, s) => {
      const index = p * 100 + s;
      const rng = rowPrng(seed, 'demo-scene', index);
      const id = seedUuid(seed, 'scene', index);
      const ready = s < Math.ceil(template.beats.length / 2);
      const parameters = sceneParameters(rng, brain.parameters);
      const prompt = `${beat.typical_prompt ?? beat.name}, ${story.setting}`;
      const duration = story.settings.default_scene_duration_seconds ?? 5;
      const versionId = ready ? seedUuid(seed, 'scene_version', index) : null;
      scenes.push({ id, projectId, position: positions[s] ?? 'a0', sequenceNumber: s + 1, title: beat.name, prompt, parameters, status: ready ? 'ready' : 'draft', durationSeconds: duration, currentVersionId: versionId, ...projectTimes });
      if (versionId !== null) {
        sceneVersions.push({ id: versionId, sceneId: id, projectId, versionNumber: 1, prompt, parameters, videoUrl: `/media/demo/${story.slug}/${beat.key}.mp4`, thumbnailUrl: `/media/demo/${story.slug}/${beat.key}.jpg`, cacheLayer: 'miss', costUsd: '0.2000', generationMs: 30_000 + rng.int(30_000), ...projectTimes });
      }
    });
    story.characters.forEach((c, k) => {
      const index = p * 100 + k;
      characters.push({ id: seedUuid(seed, 'character', index), projectId, name: c.name, description: c.description, appearance: c.appearance, faceEmbedding: vectorArray(clusteredVector(faces, rowPrng(seed, 'demo-face', index), index)), referenceImageUrl: null, ...projectTimes });
    });
  });
  return { demoUser, studioUser, formatTemplates, brains, projects, scenes, characters, sceneVersions };
}
