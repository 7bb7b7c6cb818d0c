import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { freePort } from '../stack/free-port';
import { DAY_MS, startBackupScheduler, startBackupSchedulerFromEnv } from './backup-scheduler';

const dumps = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.dump'));

/** Waits for the scheduler's n-th finished run, seen in the log it was given (a run can be over in <1 ms). */
async function runsLogged(lines: string[], n = 1): Promise<void> {
  const finished = () => lines.filter((l) => /^backup (done|failed)/.test(l)).length;
  for (let i = 0; i < 1000 && finished() < n; i++) await new Promise((r) => setTimeout(r, 10));
  expect(finished()).toBe(n);
}

describe('startBackupScheduler', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    await db.sql`create table notes (id int primary key, body text)`;
    await db.sql`insert into notes values (1, 'hello')`;
    dir = mkdtempSync(join(tmpdir(), 'storyforge-scheduler-'));
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up at start when none exists, and not again until the interval has passed', async () => {
    let now = new Date('2026-11-25T03:00:00Z');
    const lines: string[] = [];
    const first = startBackupScheduler({ databaseUrl: db.url, dir, log: (l) => lines.push(l), now: () => now });
    await runsLogged(lines);
    await first.stop();
    expect(dumps(dir)).toHaveLength(1);
    expect(lines.some((l) => l.startsWith('backup done: kept 1, removed 0'))).toBe(true);

    // A restart an hour later finds a fresh backup: nothing to do.
    now = new Date('2026-11-25T04:00:00Z');
    const restarted = startBackupScheduler({ databaseUrl: db.url, dir, log: () => {}, now: () => now });
    await new Promise((r) => setTimeout(r, 200));
    expect(restarted.running()).toBeUndefined();
    await restarted.stop();
    expect(dumps(dir)).toHaveLength(1);

    // A day later it is overdue: the next start backs up at once.
    now = new Date(Date.parse('2026-11-25T03:00:00Z') + DAY_MS + 1);
    const nextDayLines: string[] = [];
    const nextDay = startBackupScheduler({ databaseUrl: db.url, dir, log: (l) => nextDayLines.push(l), now: () => now });
    await runsLogged(nextDayLines);
    await nextDay.stop();
    expect(dumps(dir)).toHaveLength(2);
  });

  it('logs a failed backup instead of throwing, and writes nothing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'storyforge-scheduler-fail-'));
    try {
      const lines: string[] = [];
      const scheduler = startBackupScheduler({ databaseUrl: `postgres://postgres@127.0.0.1:${await freePort()}/x`, dir: empty, log: (l) => lines.push(l) });
      await runsLogged(lines);
      await scheduler.stop();
      expect(lines.some((l) => l.startsWith('backup failed: DATABASE_UNREACHABLE'))).toBe(true);
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('is off unless STORYFORGE_BACKUP_DIR is set', async () => {
    expect(startBackupSchedulerFromEnv({ databaseUrl: db.url, log: () => {}, env: {} })).toBeUndefined();
    const scheduler = startBackupSchedulerFromEnv({ databaseUrl: db.url, log: () => {}, env: { STORYFORGE_BACKUP_DIR: dir }, now: () => new Date('2026-11-25T05:00:00Z') });
    expect(scheduler).toBeDefined();
    await scheduler?.stop();
  });
});
