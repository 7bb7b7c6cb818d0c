/** Where Debian's packages put PostgreSQL 15; the stack runs its own clusters with these binaries. */
export const PG_MAJOR = 15;
export const pgBinDir = `/usr/lib/postgresql/${PG_MAJOR}/bin`;
export const pgBin = (name: string): string => `${pgBinDir}/${name}`;
export const pgConfig = pgBin('pg_config');
export const pgvectorControlFile = `/usr/share/postgresql/${PG_MAJOR}/extension/vector.control`;
export const pgvectorLibrary = `/usr/lib/postgresql/${PG_MAJOR}/lib/vector.so`;
/** Postgres refuses to run as root, so clusters run as Debian's `postgres` user. */
export const postgresOsUser = 'postgres';
