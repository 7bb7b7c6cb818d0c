import postgres from 'postgres';
import { BackupError } from './backup-error';
import { databaseName, redactUrl } from './database-url';

/** SQLSTATE invalid_catalog_name: the database in the URL does not exist. */
const INVALID_CATALOG_NAME = '3D000';

/**
 * Opens a one-connection pool and proves it works, turning "cannot connect" into a BackupError with
 * a fix, instead of a stack trace later in the middle of a dump.
 */
export async function connectChecked(url: string): Promise<postgres.Sql> {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`select 1`;
    return sql;
  } catch (cause) {
    await sql.end({ timeout: 1 });
    if (cause instanceof postgres.PostgresError && cause.code === INVALID_CATALOG_NAME) {
      throw new BackupError(
        'DATABASE_NOT_FOUND',
        `database "${databaseName(url)}" does not exist at ${redactUrl(url)}`,
        'check the database name in DATABASE_URL (npm run db:migrate creates the dev database)',
        {},
        { cause },
      );
    }
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new BackupError(
      'DATABASE_UNREACHABLE',
      `cannot connect to ${redactUrl(url)}: ${reason}`,
      'check DATABASE_URL and that the Postgres server is running and reachable from here',
      {},
      { cause },
    );
  }
}
