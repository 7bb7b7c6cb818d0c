import { OperatorError } from '../errors/operator-error';

/** Why seeding failed; each code has a one-line cause and a fix. */
export type SeedErrorCode = 'DATABASE_UNREACHABLE' | 'NOT_MIGRATED' | 'INVALID_SCALE' | 'SEED_CONFLICT';

export class SeedError extends OperatorError<SeedErrorCode> {
  override readonly name = 'SeedError';
}
