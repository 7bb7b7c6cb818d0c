import { describe, expect, it } from 'vitest';
import { beatsSchema } from './beat';
import { brainParametersSchema } from './brain-parameters';
import { characterAppearanceSchema } from './character-appearance';
import { fractionalKeySchema } from './fractional-key';
import { projectSettingsSchema } from './project-settings';
import { sceneParametersSchema } from './scene-parameters';
import { vectorSchema } from './vector';

const goodParams = { lighting: 0.2, camera_angle: -1, mood: 1, pacing: 0, model_provider: 'simulated' } as const;

describe('sceneParametersSchema', () => {
  it('accepts values in [-1, 1] and every provider', () => {
    for (const provider of ['simulated', 'runway', 'sora', 'kling'] as const) {
      expect(sceneParametersSchema.safeParse({ ...goodParams, model_provider: provider }).success).toBe(true);
    }
    expect(sceneParametersSchema.parse({ ...goodParams, duration_seconds: 60 })).toEqual({ ...goodParams, duration_seconds: 60 });
  });

  it.each([
    ['pacing 1.5', { ...goodParams, pacing: 1.5 }, 'pacing'],
    ['lighting -1.01', { ...goodParams, lighting: -1.01 }, 'lighting'],
    ['mood NaN', { ...goodParams, mood: Number.NaN }, 'mood'],
    ['camera_angle Infinity', { ...goodParams, camera_angle: Number.POSITIVE_INFINITY }, 'camera_angle'],
    ['mood as a string', { ...goodParams, mood: '0.5' }, 'mood'],
    ['unknown provider', { ...goodParams, model_provider: 'midjourney' }, 'model_provider'],
    ['duration 0', { ...goodParams, duration_seconds: 0 }, 'duration_seconds'],
    ['duration 61', { ...goodParams, duration_seconds: 61 }, 'duration_seconds'],
    ['unknown key', { ...goodParams, saturation: 0 }, ''],
    ['missing pacing', { lighting: 0, camera_angle: 0, mood: 0, model_provider: 'sora' }, 'pacing'],
  ])('rejects %s and names the field', (_label, value, field) => {
    const result = sceneParametersSchema.safeParse(value);
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.')) ?? [];
    expect(paths).toContain(field);
  });
});

describe('vectorSchema', () => {
  const v3 = vectorSchema(3);
  it('accepts exactly n finite numbers, as an array or a Float32Array (returned as number[])', () => {
    expect(v3.parse([0.5, -1, 2])).toEqual([0.5, -1, 2]);
    expect(v3.parse(new Float32Array([0.5, -1, 2]))).toEqual([0.5, -1, 2]);
  });
  it.each([
    ['too short', [1, 2]],
    ['too long', [1, 2, 3, 4]],
    ['NaN', [1, Number.NaN, 3]],
    ['Infinity', [1, 2, Number.NEGATIVE_INFINITY]],
    ['strings', ['1', '2', '3']],
    ['Float32Array of wrong length', new Float32Array(4)],
    ['Float32Array with NaN', new Float32Array([1, Number.NaN, 3])],
    ['a plain object', { 0: 1, 1: 2, 2: 3 }],
  ])('rejects %s', (_label, value) => {
    expect(v3.safeParse(value).success).toBe(false);
  });
  it('checks the real dimensions (512-d faces)', () => {
    expect(vectorSchema(512).safeParse(new Array(512).fill(0.1)).success).toBe(true);
    expect(vectorSchema(512).safeParse(new Array(511).fill(0.1)).success).toBe(false);
  });
});

describe('JSON column schemas', () => {
  it('ProjectSettings: enums and ranges', () => {
    expect(projectSettingsSchema.safeParse({ aspect_ratio: '9:16', resolution: '1080p', default_provider: 'kling', fps: 24 }).success).toBe(true);
    expect(projectSettingsSchema.safeParse({}).success).toBe(true);
    expect(projectSettingsSchema.safeParse({ aspect_ratio: '5:4' }).success).toBe(false);
    expect(projectSettingsSchema.safeParse({ fps: 23.976 }).success).toBe(false);
    expect(projectSettingsSchema.safeParse({ default_provider: 'pika' }).success).toBe(false);
  });
  it('BrainParameters: optional dials still bounded', () => {
    expect(brainParametersSchema.safeParse({ mood: -0.3, style_keywords: ['noir'] }).success).toBe(true);
    expect(brainParametersSchema.safeParse({ pacing: 2 }).success).toBe(false);
    expect(brainParametersSchema.safeParse({ style: 'noir' }).success).toBe(false);
  });
  it('CharacterAppearance: strict, typed', () => {
    expect(characterAppearanceSchema.safeParse({ age: 34, hair: 'red', distinguishing_features: ['scar'] }).success).toBe(true);
    expect(characterAppearanceSchema.safeParse({ age: -1 }).success).toBe(false);
    expect(characterAppearanceSchema.safeParse({ hair: 3 }).success).toBe(false);
  });
  it('Beat[]: non-empty, placed by position or act, unique keys', () => {
    const beat = { key: 'inciting-incident', name: 'Inciting incident', description: 'x', position: 0.1 };
    expect(beatsSchema.safeParse([beat, { ...beat, key: 'climax', position: undefined, act: 3 }]).success).toBe(true);
    expect(beatsSchema.safeParse([]).success).toBe(false);
    expect(beatsSchema.safeParse([{ ...beat, position: 1.2 }]).success).toBe(false);
    expect(beatsSchema.safeParse([{ key: 'a', name: 'A', description: '' }]).success).toBe(false);
    expect(beatsSchema.safeParse([beat, beat]).success).toBe(false);
    expect(beatsSchema.safeParse([{ ...beat, key: 'Not A Slug' }]).success).toBe(false);
  });
  it('fractional keys: what fractional-indexing produces, nothing else', () => {
    for (const key of ['a0', 'a1', 'Zz', 'a0V', 'b10']) expect(fractionalKeySchema.safeParse(key).success).toBe(true);
    for (const key of ['', 'a', 'a 0', 'a-1', 'ä0']) expect(fractionalKeySchema.safeParse(key).success).toBe(false);
  });
});
