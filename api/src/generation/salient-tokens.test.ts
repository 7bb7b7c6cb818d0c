import { describe, expect, it } from 'vitest';
import { normalizePrompt } from './canonical-request';
import { salientCompatible, salientMatch, salientTokens } from './salient-tokens';

describe('salient tokens', () => {
  it.each([
    ['A red car at night', ['color:red']],
    ['two dogs and 3 cats', ['num:2', 'num:3']],
    ['a street without rain', ['neg:rain']],
    ['a street with no rain', ['neg:rain']],
    ['The detective meets Mara at the docks', ['name:mara']],
    ['Sunset over the lake. Theo waves', []],
    ['a gray cat', ['color:grey']],
  ])('%s → %j', (prompt, expected) => {
    expect(salientTokens(prompt)).toEqual(expected);
  });

  it('uses the project character names even at a sentence start', () => {
    expect(salientTokens('Theo waves at the camera', { characterNames: ['Theo'] })).toEqual(['name:theo']);
  });

  it('one changed attribute is a mismatch; paraphrase is not', () => {
    const a = salientTokens('a red car parked on a street at night, no rain');
    expect(salientMatch(a, salientTokens('at night a red car is parked on the street without rain'))).toBe(true);
    expect(salientMatch(a, salientTokens('a blue car parked on a street at night, no rain'))).toBe(false);
    expect(salientMatch(a, salientTokens('a red car parked on a street at night, rain'))).toBe(false);
    expect(salientMatch(a, salientTokens('two red cars parked on a street at night, no rain'))).toBe(false);
  });

  describe('salientCompatible (L2: tenant scope, names found per project)', () => {
    const side = (prompt: string, characterNames: string[] = []) => ({ salientTokens: salientTokens(prompt, { characterNames }), normalizedPrompt: normalizePrompt(prompt) });
    const prompt = 'cinematic shot: Theo watches as a red car drives past the station';

    it('the same prompt asked in a project that does not list the character still matches', () => {
      // After "shot:" Theo is at a sentence start: only the project list finds the name.
      const there = side(prompt, ['Theo', 'Mara']);
      const elsewhere = side(prompt, ['Vera', 'Ruth']);
      expect(there.salientTokens).toEqual(['color:red', 'name:theo']);
      expect(elsewhere.salientTokens).toEqual(['color:red']);
      expect(salientMatch(there.salientTokens, elsewhere.salientTokens)).toBe(false);
      expect(salientCompatible(there, elsewhere)).toBe(true);
      expect(salientCompatible(elsewhere, there)).toBe(true);
    });

    it('a name the other prompt does not contain, a swapped name or any other difference still rejects', () => {
      const theo = side(prompt, ['Theo', 'Mara']);
      expect(salientCompatible(theo, side('cinematic shot: a red car drives past the station'))).toBe(false);
      expect(salientCompatible(theo, side('cinematic shot: Mara watches as a red car drives past the station', ['Theo', 'Mara']))).toBe(false);
      expect(salientCompatible(theo, side('cinematic shot: Mara watches as a red car drives past the station', ['Vera']))).toBe(false);
      expect(salientCompatible(theo, side('cinematic shot: Theo watches as a blue car drives past the station', ['Vera']))).toBe(false);
      expect(salientCompatible(theo, side('cinematic shot: Theo watches as two red cars drive past the station', ['Vera']))).toBe(false);
    });
  });
});
