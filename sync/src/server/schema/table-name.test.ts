import { describe, expect, it } from 'vitest';
import { SyncError } from '../sync-error';
import { parseTableName, qualifiedName } from './table-name';

describe('parseTableName', () => {
  it.each([
    ['items', { schema: 'public', name: 'items' }],
    ['Items', { schema: 'public', name: 'items' }],
    ['app.items', { schema: 'app', name: 'items' }],
    ['"My Schema"."name with spaces"', { schema: 'My Schema', name: 'name with spaces' }],
    ['"a.b"', { schema: 'public', name: 'a.b' }],
    ['"say ""hi"""', { schema: 'public', name: 'say "hi"' }],
  ])('%s', (text, expected) => {
    expect(parseTableName(text)).toEqual(expected);
  });

  it.each(['', 'a.b.c', '"unterminated', 'a b', '.items', 'items.'])('rejects %j with a 400 on table', (text) => {
    try {
      parseTableName(text);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SyncError);
      expect((e as SyncError).status).toBe(400);
      expect(Object.keys((e as SyncError).details)).toEqual(['table']);
    }
  });

  it('quotes back safely', () => {
    expect(qualifiedName({ schema: 'x"y', name: 'a b' })).toBe('"x""y"."a b"');
  });
});
