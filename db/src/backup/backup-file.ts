import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** A backup on disk: `<database>-<UTC timestamp>.dump` with `<same name>.manifest.json` beside it. */
export interface BackupFile {
  path: string;
  manifestPath: string;
  database: string;
  takenAt: Date;
}

const NAME = /^(.+)-(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.dump$/;

/** `2026-11-25T17-50-01-123Z`: the ISO time with characters that are awkward in file names replaced. */
export function backupStamp(at: Date): string {
  return at.toISOString().replace(/[:.]/g, '-');
}

export function backupFileName(database: string, at: Date): string {
  return `${database}-${backupStamp(at)}.dump`;
}

export function manifestPathOf(dumpPath: string): string {
  return dumpPath.replace(/\.dump$/, '.manifest.json');
}

/** Parses a backup file name; undefined for anything else (those files are never touched). */
export function parseBackupFileName(dir: string, name: string): BackupFile | undefined {
  const m = NAME.exec(name);
  if (m === null) return undefined;
  const [, database, y, mo, d, h, mi, s, ms] = m;
  const takenAt = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
  if (Number.isNaN(takenAt.getTime()) || database === undefined) return undefined;
  const path = join(dir, name);
  return { path, manifestPath: manifestPathOf(path), database, takenAt };
}

/** The backups in a directory, newest first; a missing directory has none. */
export function listBackups(dir: string): BackupFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .map((n) => parseBackupFileName(dir, n))
    .filter((b): b is BackupFile => b !== undefined)
    .sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
}
