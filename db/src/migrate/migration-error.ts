import { OperatorError } from '../errors/operator-error';

/** Why a migration command refused or failed. Each code has a one-line cause and the fix in `hint`. */
export type MigrationErrorCode =
  | 'DATABASE_UNREACHABLE'
  | 'MIGRATION_CHECKSUM_MISMATCH'
  | 'MIGRATION_UNKNOWN_APPLIED'
  | 'MIGRATION_FILE_MISSING'
  | 'MIGRATION_DOWN_MISSING'
  | 'MIGRATION_FAILED'
  | 'MIGRATION_LOCK_TIMEOUT'
  | 'INVALID_TARGET';

export class MigrationError extends OperatorError<MigrationErrorCode> {
  override readonly name = 'MigrationError';
}
