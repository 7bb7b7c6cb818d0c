// A normalised `pg_dump --schema-only` of a database, for comparing schemas (migration round-trip
// tests, drift checks). pg_dump must match the server's major version: use Debian's PG 15 binary.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Comments, session settings, and the random per-dump key of psql's \\restrict guard (pg_dump ≥ 15.14). */
const NOISE = ['--', 'SET ', 'SELECT pg_catalog.set_config', '\\restrict ', '\\unrestrict '];

export interface SchemaDumpOptions {
  databaseUrl: string;
  /** Defaults to /usr/lib/postgresql/15/bin/pg_dump. */
  pgDump?: string;
}

export async function dumpSchema({ databaseUrl, pgDump = '/usr/lib/postgresql/15/bin/pg_dump' }: SchemaDumpOptions): Promise<string> {
  const { stdout } = await run(pgDump, ['--schema-only', '--no-owner', '--no-privileges', '--dbname', databaseUrl], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '' && !NOISE.some((prefix) => line.startsWith(prefix)))
    .join('\n');
}
