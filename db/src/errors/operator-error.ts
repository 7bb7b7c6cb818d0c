/**
 * A refusal a person acts on (CLI, setup, migrations, backups, seeding): a stable code, the cause,
 * and the fix. Subclasses narrow `code` to their own closed set.
 */
export class OperatorError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    /** What the operator should do about it. */
    readonly hint: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The one line a person reads: `CODE: cause — fix`. */
  oneLine(): string {
    return `${this.code}: ${this.message} — ${this.hint}`;
  }
}
