import { createBackup, type CreatedBackup } from './create-backup';
import { pruneBackups, type PruneResult } from './prune-backups';
import type { RetentionPolicy } from './retention';

export interface BackupAndPruneOptions {
  databaseUrl: string;
  dir: string;
  log: (line: string) => void;
  now?: () => Date;
  policy?: RetentionPolicy;
}

/** One scheduled or manual backup run: dump, then retention over that database's backups. */
export async function backupAndPrune(options: BackupAndPruneOptions): Promise<CreatedBackup & PruneResult> {
  const now = options.now ?? (() => new Date());
  const created = await createBackup({ databaseUrl: options.databaseUrl, dir: options.dir, log: options.log, now });
  const pruned = pruneBackups({
    dir: options.dir,
    now: now(),
    database: created.manifest.database,
    ...(options.policy !== undefined ? { policy: options.policy } : {}),
  });
  return { ...created, ...pruned };
}
