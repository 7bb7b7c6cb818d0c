import { join } from 'node:path';
import { checkDatabase } from './check-database';
import { startPostgresCluster } from './postgres-cluster';
import { startRedisServer } from './redis-server';
import { provisionSystem } from './provision';

export interface DevStackOptions {
  /** The repository root; the embedded stack keeps its data in `<root>/.data`. */
  root: string;
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface DevStack {
  databaseUrl: string;
  redisUrl: string;
  /** True when the database is the embedded one in ./.data (not DATABASE_URL). */
  embedded: boolean;
  stop(): Promise<void>;
}

export const DEV_DATABASE = 'storyforge';

/**
 * The stack `npm start` runs on: DATABASE_URL / REDIS_URL when set (checked), otherwise our own
 * Postgres cluster in ./.data/postgres and Redis in ./.data/redis on fixed, configurable ports.
 */
export async function startDevStack({ root, log, env = process.env }: DevStackOptions): Promise<DevStack> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s();
  };
  try {
    let databaseUrl = env.DATABASE_URL;
    let embedded = false;
    if (databaseUrl === undefined || databaseUrl === '') {
      await provisionSystem({ log });
      const pg = await startPostgresCluster({
        dataDir: join(root, '.data', 'postgres'),
        port: Number(env.STORYFORGE_PG_PORT ?? 54329),
        durable: true,
        log,
      });
      stops.push(() => pg.stop());
      const url = new URL(pg.adminUrl);
      url.pathname = `/${DEV_DATABASE}`;
      databaseUrl = url.toString();
      embedded = true;
      await createDatabaseIfMissing(pg.adminUrl, DEV_DATABASE);
    }
    await checkDatabase(databaseUrl);
    let redisUrl = env.REDIS_URL;
    if (redisUrl === undefined || redisUrl === '') {
      if (!embedded) await provisionSystem({ log });
      const redis = await startRedisServer({
        port: Number(env.STORYFORGE_REDIS_PORT ?? 63799),
        dir: join(root, '.data', 'redis'),
        persist: true,
      });
      stops.push(() => redis.stop());
      redisUrl = redis.url;
    }
    return { databaseUrl, redisUrl, embedded, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const { default: postgres } = await import('postgres');
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${name}`;
    if (rows.length === 0) await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end({ timeout: 1 });
  }
}
