import { describe, expect, it } from 'vitest';
import { formatOffset, parseOffset } from './offset';

describe('offsets', () => {
  it.each([
    ['-1', { kind: 'before-all' }],
    ['0_0', { kind: 'snapshot', page: 0 }],
    ['0_12', { kind: 'snapshot', page: 12 }],
    ['0_inf', { kind: 'snapshot-done' }],
    ['24040000_3', { kind: 'log', lsn: 24040000, op: 3 }],
  ])('parses %s and formats it back', (text, parsed) => {
    expect(parseOffset(text)).toEqual(parsed);
    expect(formatOffset(parsed as Parameters<typeof formatOffset>[0])).toBe(text);
  });

  it.each(['', 'now', '1', '_1', '1_', '5_inf', '0/16B3F70_0', '-2', '99999999999999999999_0', '1_2_3'])('rejects %j', (text) => {
    expect(parseOffset(text)).toBeNull();
  });
});
