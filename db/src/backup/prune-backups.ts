import { rmSync } from 'node:fs';
import { listBackups, type BackupFile } from './backup-file';
import { applyRetention, DEFAULT_RETENTION, type RetentionPolicy } from './retention';

export interface PruneBackupsOptions {
  dir: string;
  now: Date;
  policy?: RetentionPolicy;
  /** Only backups of this database are considered (others in the same folder are left alone). */
  database?: string;
}

export interface PruneResult {
  kept: BackupFile[];
  removed: BackupFile[];
}

/** Applies the retention policy to the backups in `dir`, deleting each removed dump with its manifest. */
export function pruneBackups({ dir, now, policy = DEFAULT_RETENTION, database }: PruneBackupsOptions): PruneResult {
  const backups = listBackups(dir).filter((b) => database === undefined || b.database === database);
  const { keep, remove } = applyRetention(backups, now, policy);
  for (const b of remove) {
    rmSync(b.manifestPath, { force: true });
    rmSync(b.path, { force: true });
  }
  return { kept: keep, removed: remove };
}
