import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupFileName, listBackups } from './backup-file';
import { pruneBackups } from './prune-backups';

describe('pruneBackups', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'storyforge-prune-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const touch = (name: string) => writeFileSync(join(dir, name), 'x');

  it('deletes removed dumps with their manifests and leaves other files and databases alone', () => {
    for (let day = 1; day <= 30; day++) {
      const name = backupFileName('storyforge', new Date(Date.UTC(2026, 10, day, 3)));
      touch(name);
      touch(name.replace(/\.dump$/, '.manifest.json'));
    }
    touch(backupFileName('otherdb', new Date(Date.UTC(2026, 9, 1, 3))));
    touch('notes.txt');
    touch('storyforge-2026-11-01T03-00-00-000Z.dump.partial'); // an interrupted backup is not a backup

    const result = pruneBackups({ dir, now: new Date(Date.UTC(2026, 10, 30, 12)), database: 'storyforge' });

    // 2026-11-30 is a Monday: dailies 24..30; weeklies = newest of W49 (30th), W48 (29th), W47 (22nd), W46 (15th).
    const keptDays = result.kept.map((b) => b.takenAt.getUTCDate()).sort((a, b) => a - b);
    expect(keptDays).toEqual([15, 22, 24, 25, 26, 27, 28, 29, 30]);
    expect(result.removed).toHaveLength(21);
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith('.manifest.json'))).toHaveLength(9);
    expect(files).toContain('notes.txt');
    expect(files).toContain('storyforge-2026-11-01T03-00-00-000Z.dump.partial');
    expect(listBackups(dir).filter((b) => b.database === 'otherdb')).toHaveLength(1);
  });

  it('treats a missing directory as holding no backups', () => {
    expect(pruneBackups({ dir: join(dir, 'nope'), now: new Date() })).toEqual({ kept: [], removed: [] });
  });
});
