// One dedicated connection per runner: the session advisory lock lives on it, so every migration
// transaction of this run happens while the lock is held.
import postgres from 'postgres';
import { MigrationError } from './migration-error';

/** Connection-level failures (TCP) and the SQLSTATEs that mean "you cannot use this database". */
const UNREACHABLE_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'connection timed out',
  CONNECT_TIMEOUT: 'connection timed out',
  ECONNRESET: 'connection reset',
  '28P01': 'password authentication failed',
  '28000': 'not authorised',
  '3D000': 'database does not exist',
  '57P03': 'the server is starting up or shutting down',
};

/** postgres://user:***@host:port/db: never print a password in an error. */
export function redactUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

export function unreachableError(databaseUrl: string, cause: unknown): MigrationError | undefined {
  const code = errorCode(cause);
  const reason = code === undefined ? undefined : UNREACHABLE_CODES[code];
  if (reason === undefined || code === undefined) return undefined;
  return new MigrationError(
    'DATABASE_UNREACHABLE',
    `cannot use the database at ${redactUrl(databaseUrl)}: ${reason} (${code})`,
    'start it (`npm run stack`) or point DATABASE_URL at a running Postgres 15+ with pgvector; nothing was changed',
    { code },
    { cause },
  );
}

/** Opens a single-connection client and proves it works, mapping failures to DATABASE_UNREACHABLE. */
export async function connectForMigrations(databaseUrl: string): Promise<postgres.Sql> {
  let sql: postgres.Sql;
  try {
    sql = postgres(databaseUrl, {
      max: 1,
      connect_timeout: 10,
      onnotice: () => {},
      connection: { application_name: 'storyforge-migrate' },
    });
  } catch (cause) {
    throw new MigrationError('DATABASE_UNREACHABLE', `invalid database URL ${redactUrl(databaseUrl)}`, 'use postgres://user:password@host:port/database', {}, { cause });
  }
  try {
    await sql`select 1`;
    return sql;
  } catch (cause) {
    await sql.end({ timeout: 1 }).catch(() => {});
    throw unreachableError(databaseUrl, cause) ?? cause;
  }
}
