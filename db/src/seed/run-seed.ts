import postgres from 'postgres';
import { DEFAULT_SEED } from './demo-data';
import { seedDemo, type SeedDemoResult } from './seed-demo';
import { SeedError } from './seed-error';
import { seedScale, type SeedScaleResult } from './seed-scale';

export interface RunSeedOptions {
  databaseUrl: string;
  log: (line: string) => void;
  /** Also load `--scale N` benchmark data. */
  scale?: number;
  seed?: string;
}

export interface RunSeedResult {
  demo: SeedDemoResult;
  scale?: SeedScaleResult;
}

/**
 * `npm run db:seed [-- --scale N]`: demo data, then optional benchmark data. Refuses, changing
 * nothing, when the database is unreachable or not migrated.
 *
 * @example await runSeed({ databaseUrl, log: console.log, scale: 100_000 })
 */
export async function runSeed({ databaseUrl, log, scale, seed = DEFAULT_SEED }: RunSeedOptions): Promise<RunSeedResult> {
  const sql = postgres(databaseUrl, { max: 2, connect_timeout: 5, onnotice: () => {} });
  try {
    let migrated: boolean;
    try {
      const [row] = await sql<{ ok: boolean }[]>`select to_regclass('public.scenes') is not null and to_regclass('public.users') is not null as ok`;
      migrated = row?.ok ?? false;
    } catch (cause) {
      throw new SeedError('DATABASE_UNREACHABLE', `cannot query the database: ${cause instanceof Error ? cause.message : String(cause)}`, 'check DATABASE_URL and that Postgres is running', {}, { cause });
    }
    if (!migrated) throw new SeedError('NOT_MIGRATED', 'the database has no StoryForge tables', 'run npm run db:migrate first');
    const demo = await seedDemo({ sql, log, seed });
    if (scale === undefined) return { demo };
    return { demo, scale: await seedScale({ sql, log, scale, seed }) };
  } finally {
    await sql.end({ timeout: 1 });
  }
}
