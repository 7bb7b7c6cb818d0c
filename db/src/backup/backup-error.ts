import { OperatorError } from '../errors/operator-error';

/** Why a backup, restore or verification failed. Each code comes with a one-line cause and a fix. */
export type BackupErrorCode =
  | 'DATABASE_UNREACHABLE'
  | 'DATABASE_NOT_FOUND'
  | 'BACKUP_NOT_FOUND'
  | 'BACKUP_CORRUPT'
  | 'DUMP_FAILED'
  | 'RESTORE_FAILED'
  | 'TARGET_NOT_EMPTY'
  | 'INVALID_TARGET_NAME'
  | 'VERIFY_MISMATCH';

export class BackupError extends OperatorError<BackupErrorCode> {
  override readonly name = 'BackupError';
}
