import { describe, expect, it } from 'vitest';
import { l1Key, normalizePrompt, parametersClose, quantize } from './canonical-request';
import type { CacheRequest } from './types';

const base: CacheRequest = {
  tenantId: 't1',
  projectId: 'p1',
  prompt: 'A red car, at night!',
  parameters: { lighting: 0.1, camera_angle: -0.5, mood: 0, pacing: 0.74, model_provider: 'simulated' },
  brainId: 'b1',
  modelVersion: 'sim-1',
};

describe('canonical request / L1 key', () => {
  it('normalises case, punctuation and whitespace only', () => {
    expect(normalizePrompt('  A red   car, at NIGHT! ')).toBe('a red car at night');
    expect(normalizePrompt("Mara's dog")).toBe('maras dog');
  });

  it('quantises to 0.25 steps, clamps to −1..1 and folds −0', () => {
    expect([quantize(0.1), quantize(0.13), quantize(-0.1), quantize(1.7), quantize(-0.62)]).toEqual([0, 0.25, 0, 1, -0.5]);
    expect(Object.is(quantize(-0.01), 0)).toBe(true);
  });

  it('same key for cosmetic differences, different key for anything that changes the video', () => {
    const k = l1Key(base);
    expect(l1Key({ ...base, prompt: 'a red car at night' })).toBe(k);
    expect(l1Key({ ...base, parameters: { ...base.parameters, lighting: 0.05 } })).toBe(k);
    for (const changed of [
      { ...base, prompt: 'A blue car, at night!' },
      { ...base, tenantId: 't2' },
      { ...base, brainId: 'b2' },
      { ...base, brainId: null },
      { ...base, modelVersion: 'sim-2' },
      { ...base, parameters: { ...base.parameters, model_provider: 'runway' } },
      { ...base, parameters: { ...base.parameters, pacing: 0.2 } },
      { ...base, parameters: { ...base.parameters, duration_seconds: 10 } },
    ]) {
      expect(l1Key(changed)).not.toBe(k);
    }
    expect(k).toMatch(/^[0-9a-f]{64}$/);
  });

  it('parametersClose compares every knob with a tolerance', () => {
    expect(parametersClose(base.parameters, { ...base.parameters, mood: 0.09 }, 0.1)).toBe(true);
    expect(parametersClose(base.parameters, { ...base.parameters, mood: 0.2 }, 0.1)).toBe(false);
    expect(parametersClose(base.parameters, { ...base.parameters, model_provider: 'kling' }, 0.1)).toBe(false);
  });
});
