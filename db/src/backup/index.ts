export { BackupError, type BackupErrorCode } from './backup-error';
export { createBackup, type CreateBackupOptions, type CreatedBackup } from './create-backup';
export { restoreBackup, type RestoreBackupOptions, type RestoreResult } from './restore-backup';
export { backupAndPrune, type BackupAndPruneOptions } from './backup-and-prune';
export { pruneBackups, type PruneBackupsOptions, type PruneResult } from './prune-backups';
export { applyRetention, isoWeekKey, DEFAULT_RETENTION, type RetentionPolicy, type RetentionDecision } from './retention';
export { listBackups, backupFileName, type BackupFile } from './backup-file';
export { readManifest, MANIFEST_FORMAT, type BackupManifest } from './manifest';
export { databaseStats, tableStats, compareStats, formatStatsTable, type TableStats, type StatsDifference } from './table-stats';
export {
  startBackupScheduler,
  startBackupSchedulerFromEnv,
  BACKUP_DIR_ENV,
  DAY_MS,
  type BackupScheduler,
  type BackupSchedulerOptions,
} from './backup-scheduler';
