import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { MIGRATED_TEMPLATE, requireTestEnv, TEST_PG_ADMIN_URL_ENV, TEST_REDIS_URL_ENV } from './env';

export interface TestDatabaseOptions {
  /** true (default): a clone of the fully migrated template; false: an empty database. */
  migrated?: boolean;
}

export interface TestDatabase {
  name: string;
  /** URL of this database (superuser, loopback). */
  url: string;
  /** Superuser URL of the cluster's `postgres` database, for tests that create or drop things. */
  adminUrl: string;
  /** A small postgres.js pool on this database, closed by drop(). */
  sql: postgres.Sql;
  /** Closes connections, drops the database and any replication slot it owns. */
  drop(): Promise<void>;
}

const noticeless = { onnotice: () => {} } as const;

/**
 * A fresh database for one test file (STYLE.md: no shared mutable test databases).
 *
 * @example
 *   let db: TestDatabase;
 *   beforeAll(async () => { db = await createTestDatabase(); });
 *   afterAll(() => db.drop());
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = requireTestEnv(TEST_PG_ADMIN_URL_ENV);
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, ...noticeless });
  try {
    const template = options.migrated === false ? 'template0' : MIGRATED_TEMPLATE;
    await admin.unsafe(`create database "${name}" template "${template}"`);
  } finally {
    await admin.end({ timeout: 1 });
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 4, ...noticeless });
  return {
    name,
    url: url.toString(),
    adminUrl,
    sql,
    async drop() {
      await sql.end({ timeout: 1 });
      await dropDatabase(adminUrl, name);
    },
  };
}

/** Drops a database with its replication slots, terminating whatever still holds them. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, ...noticeless });
  try {
    await dropSlots(admin, name);
    await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end({ timeout: 1 });
  }
}

// SQLSTATE 55006 object_in_use: the slot's walsender has not exited yet, or a server under test
// reconnected to it between our terminate and our drop.
const OBJECT_IN_USE = '55006';

async function dropSlots(admin: postgres.Sql, database: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    // The timeout form waits for the backend to exit (PG 14+), so the drop below normally succeeds.
    await admin`select pg_terminate_backend(active_pid, 5000) from pg_replication_slots where database = ${database} and active_pid is not null`;
    try {
      await admin`select pg_drop_replication_slot(slot_name) from pg_replication_slots where database = ${database}`;
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== OBJECT_IN_USE || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The run's throwaway Redis. Share it safely by prefixing every key with a per-file random prefix. */
export function testRedisUrl(): string {
  return requireTestEnv(TEST_REDIS_URL_ENV);
}

/** A random key prefix so test files sharing the run's Redis never see each other's keys. */
export function testKeyPrefix(): string {
  return `t${randomBytes(4).toString('hex')}:`;
}
