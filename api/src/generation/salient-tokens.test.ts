import { describe, expect, it } from 'vitest';
import { salientMatch, salientTokens } from './salient-tokens';

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
});
