import type postgres from 'postgres';
import { characters } from '../schema/characters';
import { projects } from '../schema/projects';
import { scenes } from '../schema/scenes';
import { users } from '../schema/users';
import { copyRows } from './copy-rows';
import { DEFAULT_SEED } from './demo-data';
import { projectRows, ScaleData } from './scale-data';
import { hash32 } from './prng';
import { SeedError } from './seed-error';

export interface SeedScaleOptions {
  sql: postgres.Sql;
  log: (line: string) => void;
  /** N scenes and N characters (plus N/100 projects and N/1000 users). */
  scale: number;
  seed?: string;
  /** Milliseconds clock for the rows/s progress lines. */
  clock?: () => number;
}

export interface SeedScaleResult {
  inserted: { users: number; projects: number; scenes: number; characters: number };
  ms: number;
  /** Wall time of each phase: COPY scenes, COPY characters, rebuilding vector indexes (0 if not rebuilt). */
  phases: { scenesMs: number; charactersMs: number; indexMs: number };
}

/**
 * When a load adds at least this many characters, and at least a quarter of what the table already
 * holds, the HNSW index on face_embedding is dropped and rebuilt after the load (in the same
 * transaction, so nobody sees the table without it): one bulk build is several times faster than as
 * many incremental HNSW inserts (measured here: ~170 rows/s incremental vs ~700 rows/s bulk).
 */
const REBUILD_INDEX_FROM = 1_000;

const SCENE_COLUMNS = ['id', 'projectId', 'position', 'sequenceNumber', 'title', 'prompt', 'parameters', 'status', 'durationSeconds', 'createdAt', 'updatedAt'] as const;
const CHARACTER_COLUMNS = ['id', 'projectId', 'name', 'appearance', 'faceEmbedding', 'createdAt', 'updatedAt'] as const;
const PROJECT_COLUMNS = ['id', 'userId', 'title', 'status', 'settings', 'createdAt', 'updatedAt'] as const;
const USER_COLUMNS = ['id', 'email', 'displayName', 'createdAt', 'updatedAt'] as const;

/** Advisory lock key that serialises concurrent scale seeds of one database. */
const SCALE_SEED_LOCK = hash32('storyforge/seed-scale');

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/**
 * Loads benchmark-sized data with COPY in one transaction. Idempotent per project: a project and all
 * its rows are written together, so projects that already exist are skipped whole, and `--scale 2000`
 * after `--scale 1000` adds exactly the missing ones.
 */
export async function seedScale({ sql, log, scale, seed = DEFAULT_SEED, clock = () => performance.now() }: SeedScaleOptions): Promise<SeedScaleResult> {
  if (!Number.isInteger(scale) || scale < 1 || scale > 10_000_000) {
    throw new SeedError('INVALID_SCALE', `--scale must be a whole number from 1 to 10000000, got ${scale}`, 'e.g. npm run db:seed -- --scale 100000');
  }
  const data = new ScaleData(seed, scale);
  const { layout } = data;
  const started = clock();
  log(`scale ${scale}: ${layout.users} users, ${layout.projects} projects, ${layout.scenes} scenes, ${layout.characters} characters`);
  const phases = { scenesMs: 0, charactersMs: 0, indexMs: 0 };
  const inserted = await sql.begin(async (tx) => {
    // Two scale seeds at once would both see a project missing and the second would fail on its
    // primary key after loading everything: take turns instead.
    await tx`select pg_advisory_xact_lock(${SCALE_SEED_LOCK})`;
    const existingUsers = new Set((await tx<{ id: string }[]>`select id from users where id = any(${range(layout.users).map((u) => data.userId(u))}::uuid[])`).map((r) => r.id));
    const existingProjects = new Set((await tx<{ id: string }[]>`select id from projects where id = any(${range(layout.projects).map((p) => data.projectId(p))}::uuid[])`).map((r) => r.id));
    const newUsers = range(layout.users).filter((u) => !existingUsers.has(data.userId(u)));
    const newProjects = range(layout.projects).filter((p) => !existingProjects.has(data.projectId(p)));
    if (newProjects.length === 0 && newUsers.length === 0) return { users: 0, projects: 0, scenes: 0, characters: 0 };
    await tx`set local maintenance_work_mem = '1GB'`;
    await tx`set local max_parallel_maintenance_workers = 2`;
    const u = await copyRows({ sql: tx, table: users, columns: USER_COLUMNS, rows: newUsers.map((i) => data.user(i)) });
    const p = await copyRows({ sql: tx, table: projects, columns: PROJECT_COLUMNS, rows: newProjects.map((i) => data.project(i)) });
    const progress = (what: string, total: number) => {
      const from = clock();
      let last = from;
      return (rows: number) => {
        const now = clock();
        if (rows < total && now - last < 1000) return;
        last = now;
        log(`${what}: ${rows}/${total} rows, ${Math.round(rows / ((now - from) / 1000 || 1))} rows/s`);
      };
    };
    const sceneTotal = newProjects.reduce((n, i) => n + countRows(scale, i), 0);
    const scenesStart = clock();
    const s = await copyRows({ sql: tx, table: scenes, columns: SCENE_COLUMNS, rows: flatMap(newProjects, (i) => data.scenes(i)), onProgress: progress('scenes', sceneTotal) });
    phases.scenesMs = clock() - scenesStart;
    const [existing] = await tx<{ n: number }[]>`select count(*)::int as n from characters`;
    const rebuildIndexes = sceneTotal >= REBUILD_INDEX_FROM && sceneTotal * 4 >= (existing?.n ?? 0);
    const rebuild = rebuildIndexes ? await dropVectorIndexes(tx, 'characters') : [];
    const characterStart = clock();
    const c = await copyRows({ sql: tx, table: characters, columns: CHARACTER_COLUMNS, rows: flatMap(newProjects, (i) => data.characters(i)), onProgress: progress('characters', sceneTotal) });
    phases.charactersMs = clock() - characterStart;
    for (const { name, definition } of rebuild) {
      const t = clock();
      await tx.unsafe(definition);
      phases.indexMs += clock() - t;
      log(`rebuilt index ${name} in ${Math.round(clock() - t)} ms`);
    }
    log(`characters loaded in ${Math.round(clock() - characterStart)} ms (including index)`);
    return { users: u, projects: p, scenes: s, characters: c };
  });
  const ms = clock() - started;
  log(`scale seed done in ${Math.round(ms)} ms: inserted ${JSON.stringify(inserted)}`);
  return { inserted: inserted as SeedScaleResult['inserted'], ms, phases };
}

function countRows(n: number, p: number): number {
  const [first, end] = projectRows(n, p);
  return end - first;
}

function* flatMap<T, U>(items: readonly T[], f: (item: T) => Iterable<U>): Generator<U> {
  for (const item of items) yield* f(item);
}

/** Drops the table's HNSW/IVFFlat indexes, returning their definitions to re-run after the load. */
async function dropVectorIndexes(tx: postgres.TransactionSql, table: string): Promise<Array<{ name: string; definition: string }>> {
  const rows = await tx<{ name: string; definition: string }[]>`
    select indexname as name, indexdef as definition from pg_indexes
    where schemaname = 'public' and tablename = ${table} and indexdef ~ 'USING (hnsw|ivfflat)'`;
  for (const r of rows) await tx.unsafe(`drop index "${r.name.replace(/"/g, '""')}"`);
  return rows;
}
