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

export class BackupError extends Error {
  override readonly name = 'BackupError';
  constructor(
    readonly code: BackupErrorCode,
    message: string,
    /** What the operator should do about it. */
    readonly hint: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The one line a person reads: `code: cause — fix`. */
  oneLine(): string {
    return `${this.code}: ${this.message} — ${this.hint}`;
  }
}
