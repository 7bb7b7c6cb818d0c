import { describe, expect, it } from 'vitest';
import { describeComponents, reuseFraction } from './component-descriptors';
import { fillBeatPrompt, predictNextPrompts } from './predict-next-prompts';

const beats = [
  { key: 'a', name: 'A', typical_prompt: 'wide shot of the town' },
  { key: 'b', name: 'B', typical_prompt: '{character} meets {character2} at the gate' },
  { key: 'c', name: 'C' },
];

describe('L4 predictor', () => {
  it('fills placeholders and the project setting', () => {
    expect(fillBeatPrompt(beats[1]!, { characters: ['Mara', 'Theo'], setting: 'in a harbour town' })).toBe('Mara meets Theo at the gate, in a harbour town');
    expect(fillBeatPrompt(beats[2]!, {})).toBe('C');
  });

  it('confidence decays with distance and follows the project’s track record', () => {
    const fresh = predictNextPrompts({ beats, beatIndex: 0, context: {}, used: 0, made: 0 });
    expect(fresh.map((p) => p.beatKey)).toEqual(['b', 'c']);
    expect(fresh[0]!.confidence).toBeCloseTo(0.45);
    expect(fresh[1]!.confidence).toBeCloseTo(0.25);
    const reliable = predictNextPrompts({ beats, beatIndex: 0, context: {}, used: 8, made: 8 });
    const ignored = predictNextPrompts({ beats, beatIndex: 0, context: {}, used: 0, made: 8 });
    expect(reliable[0]!.confidence).toBeGreaterThan(0.8);
    expect(ignored[0]!.confidence).toBeLessThan(0.1);
    expect(predictNextPrompts({ beats, beatIndex: 2, context: {}, used: 0, made: 0 })).toEqual([]);
  });
});

describe('L3 component descriptors', () => {
  it('finds characters, the background after the last location word, and props', () => {
    const c = describeComponents({ prompt: 'Mara walks holding a lantern in the old harbour', salientTokens: ['name:mara'], provider: 'simulated', brainId: null });
    expect(c.map((x) => `${x.kind}:${x.words.join(' ')}`)).toEqual(['character:mara', 'background:harbour old', 'prop:lantern']);
    expect(reuseFraction(c)).toBeCloseTo(0.6);
  });

  it('keys depend on provider and brain (a component in another style is not reusable)', () => {
    const a = describeComponents({ prompt: 'in the forest', salientTokens: [], provider: 'simulated', brainId: null });
    const b = describeComponents({ prompt: 'in the forest', salientTokens: [], provider: 'simulated', brainId: 'b1' });
    expect(a[0]!.key).not.toBe(b[0]!.key);
  });
});
