import { readFileSync } from 'node:fs';
import type { TableStats } from './table-stats';

export const MANIFEST_FORMAT = 'storyforge-backup/1';

/** Written next to each dump: what the database held in the very snapshot the dump was taken from. */
export interface BackupManifest {
  format: typeof MANIFEST_FORMAT;
  database: string;
  takenAt: string;
  serverVersion: string;
  /** sha256 of the dump file, so a damaged file is caught before pg_restore touches anything. */
  sha256: string;
  bytes: number;
  tables: TableStats[];
}

/** Reads a manifest; undefined when there is none or it is not one of ours. */
export function readManifest(path: string): BackupManifest | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<BackupManifest>;
    if (parsed.format !== MANIFEST_FORMAT || !Array.isArray(parsed.tables) || typeof parsed.sha256 !== 'string') {
      return undefined;
    }
    return parsed as BackupManifest;
  } catch {
    return undefined;
  }
}
