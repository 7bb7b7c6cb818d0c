import { OperatorError } from '../errors/operator-error';

/** Why the local stack could not be set up. Each code has a one-line cause and a fix in `hint`. */
export type StackErrorCode =
  | 'NOT_ROOT'
  | 'APT_FAILED'
  | 'PGVECTOR_BUILD_FAILED'
  | 'PORT_IN_USE'
  | 'DISK_FULL'
  | 'POSTGRES_START_FAILED'
  | 'REDIS_START_FAILED'
  | 'DATABASE_UNREACHABLE'
  | 'PGVECTOR_MISSING'
  | 'WAL_LEVEL_NOT_LOGICAL'
  | 'REDIS_UNREACHABLE';

export class StackError extends OperatorError<StackErrorCode> {
  override readonly name = 'StackError';
}
