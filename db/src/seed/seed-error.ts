/** Why seeding failed; each code has a one-line cause and a fix. */
export type SeedErrorCode = 'DATABASE_UNREACHABLE' | 'NOT_MIGRATED' | 'INVALID_SCALE' | 'SEED_CONFLICT';

export class SeedError extends Error {
  override readonly name = 'SeedError';
  constructor(
    readonly code: SeedErrorCode,
    message: string,
    readonly hint: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  oneLine(): string {
    return `${this.code}: ${this.message} — ${this.hint}`;
  }
}
