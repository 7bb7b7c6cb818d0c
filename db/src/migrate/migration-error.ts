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

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    readonly hint: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The one line a person reads: what is wrong and what to do. */
  oneLine(): string {
    return `${this.message} — ${this.hint}`;
  }
}
