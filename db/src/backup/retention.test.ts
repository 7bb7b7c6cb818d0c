import { describe, expect, it } from 'vitest';
import { applyRetention, isoWeekKey } from './retention';

const at = (iso: string) => ({ takenAt: new Date(iso), name: iso });
const kept = (backups: ReturnType<typeof at>[], now: string, policy?: { daily: number; weekly: number }) =>
  applyRetention(backups, new Date(now), policy).keep.map((b) => b.name);

describe('isoWeekKey', () => {
  it.each([
    ['2026-11-25T12:00:00Z', '2026-W48'], // a Wednesday
    ['2026-11-23T00:00:00Z', '2026-W48'], // Monday starts the week
    ['2026-11-22T23:59:59Z', '2026-W47'], // Sunday ends the previous one
    ['2021-01-03T10:00:00Z', '2020-W53'], // early January can belong to the previous ISO year
    ['2024-12-30T10:00:00Z', '2025-W01'], // late December can belong to the next ISO year
  ])('%s is in %s', (iso, week) => {
    expect(isoWeekKey(new Date(iso))).toBe(week);
  });
});

describe('applyRetention (7 daily + 4 weekly)', () => {
  it('keeps everything while there are fewer backups than slots', () => {
    const backups = [at('2026-11-25T03:00:00.000Z'), at('2026-11-24T03:00:00.000Z')];
    expect(kept(backups, '2026-11-25T12:00:00Z')).toEqual(backups.map((b) => b.name));
  });

  it('keeps only the newest of several backups on one day', () => {
    const backups = [at('2026-11-25T03:00:00.000Z'), at('2026-11-25T09:00:00.000Z'), at('2026-11-25T01:00:00.000Z')];
    const decision = applyRetention(backups, new Date('2026-11-25T12:00:00Z'));
    expect(decision.keep.map((b) => b.name)).toEqual(['2026-11-25T09:00:00.000Z']);
    expect(decision.remove).toHaveLength(2);
  });

  it('after 60 daily backups keeps the last 7 days plus the newest of the 4 latest ISO weeks', () => {
    const backups = Array.from({ length: 60 }, (_, i) => at(new Date(Date.UTC(2026, 9, 1 + i, 3)).toISOString()));
    // Backups from 2026-10-01 to 2026-11-29 (a Sunday); now = 2026-11-29 20:00.
    expect(kept(backups, '2026-11-29T20:00:00Z').sort()).toEqual(
      [
        // daily: the last 7 days
        '2026-11-23T03:00:00.000Z',
        '2026-11-24T03:00:00.000Z',
        '2026-11-25T03:00:00.000Z',
        '2026-11-26T03:00:00.000Z',
        '2026-11-27T03:00:00.000Z',
        '2026-11-28T03:00:00.000Z',
        '2026-11-29T03:00:00.000Z', // also newest of W48
        // weekly: newest (Sunday) of W47, W46, W45
        '2026-11-08T03:00:00.000Z',
        '2026-11-15T03:00:00.000Z',
        '2026-11-22T03:00:00.000Z',
      ].sort(),
    );
  });

  it('counts periods that have backups, so a long pause does not wipe older backups', () => {
    const backups = [
      at('2026-11-25T03:00:00.000Z'), // first backup after a two-month pause
      at('2026-09-20T03:00:00.000Z'),
      at('2026-09-19T03:00:00.000Z'),
      at('2026-09-01T03:00:00.000Z'),
    ];
    expect(kept(backups, '2026-11-25T04:00:00Z')).toHaveLength(4);
  });

  it('never deletes a backup dated in the future (clock jumped back)', () => {
    const backups = [at('2027-01-01T00:00:00.000Z'), at('2026-11-25T03:00:00.000Z'), at('2026-11-25T02:00:00.000Z')];
    expect(kept(backups, '2026-11-25T12:00:00Z').sort()).toEqual(['2026-11-25T03:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  });

  it('honours a custom policy', () => {
    const backups = Array.from({ length: 10 }, (_, i) => at(new Date(Date.UTC(2026, 10, 1 + i, 3)).toISOString()));
    expect(kept(backups, '2026-11-11T00:00:00Z', { daily: 2, weekly: 0 })).toEqual([
      '2026-11-09T03:00:00.000Z',
      '2026-11-10T03:00:00.000Z',
    ]);
  });
});
