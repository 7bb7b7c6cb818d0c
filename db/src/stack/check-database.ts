import postgres from 'postgres';
import { StackError } from './stack-error';

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/**
 * Verifies a Postgres the stack did not start itself (DATABASE_URL): reachable, pgvector available,
 * wal_level=logical. Each failure is a StackError with the fix.
 */
export async function checkDatabase(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    let walLevel: string;
    let vectorAvailable: boolean;
    try {
      const [wal] = await sql<{ wal_level: string }[]>`show wal_level`;
      const [ext] = await sql<{ available: boolean }[]>`
        select exists (select 1 from pg_available_extensions where name = 'vector') as available`;
      walLevel = wal?.wal_level ?? 'unknown';
      vectorAvailable = ext?.available ?? false;
    } catch (cause) {
      throw new StackError(
        'DATABASE_UNREACHABLE',
        `cannot connect to ${redact(url)}: ${cause instanceof Error ? cause.message : String(cause)}`,
        'check DATABASE_URL, that the server is running and accepts connections from here',
        {},
        { cause },
      );
    }
    if (!vectorAvailable) {
      throw new StackError(
        'PGVECTOR_MISSING',
        `the database at ${redact(url)} has no pgvector extension available`,
        'install pgvector (0.8+) on that server, or unset DATABASE_URL to use the embedded stack',
      );
    }
    if (walLevel !== 'logical') {
      throw new StackError(
        'WAL_LEVEL_NOT_LOGICAL',
        `the database at ${redact(url)} has wal_level=${walLevel}, sync needs logical`,
        "run ALTER SYSTEM SET wal_level = 'logical' and restart that server, or unset DATABASE_URL",
      );
    }
  } finally {
    await sql.end({ timeout: 1 });
  }
}
