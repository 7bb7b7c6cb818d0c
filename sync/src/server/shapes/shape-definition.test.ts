import { describe, expect, it } from 'vitest';
import { definitionKey, parseColumnList, parseShapeDefinition } from './shape-definition';

describe('parseColumnList', () => {
  it.each([
    ['"id","title"', ['id', 'title']],
    ['"id","has,comma","quote""d"', ['id', 'has,comma', 'quote"d']],
    ['id,Title', ['id', 'title']],
  ])('%s', (text, expected) => {
    expect(parseColumnList(text)).toEqual(expected);
  });
  it.each(['', '"unterminated', '"a""', 'a,,b', '"a"x'])('rejects %j', (text) => {
    expect(() => parseColumnList(text)).toThrow();
  });
});

describe('definitions', () => {
  const q = (s: string) => new URLSearchParams(s);
  it('parses params[n] and ignores unknown parameters', () => {
    const def = parseShapeDefinition(q('table=items&where=a%3D%241&params%5B1%5D=x&cache-buster=1&log=full'), null);
    expect(def).toEqual({ table: { schema: 'public', name: 'items' }, where: 'a=$1', params: { '1': 'x' }, columns: null, replica: 'default', userId: null });
  });
  it('gives the same key to the same shape and different keys to different users, params or replica', () => {
    const a = definitionKey(parseShapeDefinition(q('table=items&where=a%3D%241&params%5B1%5D=x'), 'u1'));
    expect(definitionKey(parseShapeDefinition(q('where=a%3D%241&table=items&params%5B1%5D=x'), 'u1'))).toBe(a);
    expect(definitionKey(parseShapeDefinition(q('table=items&where=a%3D%241&params%5B1%5D=x'), 'u2'))).not.toBe(a);
    expect(definitionKey(parseShapeDefinition(q('table=items&where=a%3D%241&params%5B1%5D=y'), 'u1'))).not.toBe(a);
    expect(definitionKey(parseShapeDefinition(q('table=items&where=a%3D%241&params%5B1%5D=x&replica=full'), 'u1'))).not.toBe(a);
  });
  it('rejects a malformed params name', () => {
    expect(() => parseShapeDefinition(q('table=items&params%5Bx%5D=1'), null)).toThrow(/params/);
  });
});
