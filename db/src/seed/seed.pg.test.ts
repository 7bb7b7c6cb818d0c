import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { databaseStats } from '../backup/table-stats';
import { freePort } from '../stack/free-port';
import { beatsSchema } from '../validators/beat';
import { brainParametersSchema } from '../validators/brain-parameters';
import { characterAppearanceSchema } from '../validators/character-appearance';
import { projectSettingsSchema } from '../validators/project-settings';
import { sceneParametersSchema } from '../validators/scene-parameters';
import { buildDemoData, DEMO_GRANT_CREDITS, demoUserId } from './demo-data';
import { runSeed } from './run-seed';
import { SeedError } from './seed-error';

const noLog = () => {};

describe('db:seed demo data', () => {
  let a: TestDatabase;
  let b: TestDatabase;
  beforeAll(async () => {
    [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    await runSeed({ databaseUrl: a.url, log: noLog });
    await runSeed({ databaseUrl: b.url, log: noLog });
  });
  afterAll(async () => {
    await Promise.all([a.drop(), b.drop()]);
  });

  it('is deterministic: two databases seeded separately hold identical data', async () => {
    const [sa, sb] = await Promise.all([databaseStats(a.sql), databaseStats(b.sql)]);
    expect(sa).toEqual(sb);
    expect(sa.find((t) => t.table === 'scenes')?.rows).toBeGreaterThan(20);
  });

  it('is idempotent: seeding again inserts nothing and grants no second credit', async () => {
    const before = await databaseStats(a.sql);
    const again = await runSeed({ databaseUrl: a.url, log: noLog });
    expect(Object.values(again.demo.inserted).every((n) => n === 0)).toBe(true);
    expect(await databaseStats(a.sql)).toEqual(before);
    const [user] = await a.sql<{ credits_balance: number }[]>`select credits_balance from users where id = ${demoUserId()}`;
    const ledger = await a.sql<{ delta: number; reason: string; balance_after: number }[]>`select delta, reason, balance_after from credit_ledger where user_id = ${demoUserId()}`;
    expect(user?.credits_balance).toBe(DEMO_GRANT_CREDITS);
    expect(ledger).toEqual([{ delta: DEMO_GRANT_CREDITS, reason: 'grant', balance_after: DEMO_GRANT_CREDITS }]);
  });

  it('gives every JSON column a value its validator accepts', () => {
    const data = buildDemoData();
    for (const t of data.formatTemplates) expect(beatsSchema.safeParse(t.beats).success, t.name).toBe(true);
    for (const br of data.brains) expect(brainParametersSchema.safeParse(br.parameters).success, br.name).toBe(true);
    for (const p of data.projects) expect(projectSettingsSchema.safeParse(p.settings).success, p.title).toBe(true);
    for (const s of data.scenes) expect(sceneParametersSchema.safeParse(s.parameters).success, s.title).toBe(true);
    for (const c of data.characters) expect(characterAppearanceSchema.safeParse(c.appearance).success, c.name).toBe(true);
  });

  it('seeds the classic format templates with their canonical beat counts', async () => {
    const rows = await a.sql<{ name: string; beats: number }[]>`
      select name, jsonb_array_length(beats) as beats from format_templates where creator_id is null and is_public order by name`;
    const beats = Object.fromEntries(rows.map((r) => [r.name, r.beats]));
    expect(beats["Hero's journey"]).toBe(12);
    expect(beats['Save the Cat! beat sheet']).toBe(15);
    expect(beats['Story circle']).toBe(8);
    expect(beats['Kishōtenketsu']).toBe(4);
    expect(beats['Three-act structure']).toBeGreaterThanOrEqual(3);
    expect(rows.length).toBeGreaterThanOrEqual(7);
  });

  it('clusters marketplace brain style vectors: each family member is the other one\'s nearest neighbour', async () => {
    const rows = await a.sql<{ name: string; nearest: string }[]>`
      select b.name, (select o.name from brains o where o.id <> b.id order by o.style_vector <=> b.style_vector limit 1) as nearest
      from brains b where b.is_public`;
    const nearest = Object.fromEntries(rows.map((r) => [r.name, r.nearest]));
    expect(nearest['Film Noir']).toBe('Neo-Noir Thriller');
    expect(nearest['Neo-Noir Thriller']).toBe('Film Noir');
    expect(nearest['Anime Action']).toBe('Hand-painted Anime Pastoral');
    expect(nearest['Nature Documentary']).toBe('Cinéma Vérité');
  });

  it('orders scenes by fractional position exactly as their sequence numbers', async () => {
    const rows = await a.sql<{ project_id: string; seq: number[] }[]>`
      select project_id, array_agg(sequence_number order by position, id) as seq from scenes group by project_id`;
    expect(rows.length).toBe(4);
    for (const r of rows) expect(r.seq).toEqual(r.seq.map((_, i) => i + 1));
  });

  it('stores unit-length 512-d face embeddings and points ready scenes at their version', async () => {
    const [faces] = await a.sql<{ n: number; bad: number }[]>`
      select count(*)::int as n, count(*) filter (where abs(vector_norm(face_embedding) - 1) > 1e-4 or vector_dims(face_embedding) <> 512)::int as bad from characters`;
    expect(faces?.n).toBeGreaterThan(5);
    expect(faces?.bad).toBe(0);
    const [dangling] = await a.sql<{ n: number }[]>`
      select count(*)::int as n from scenes s where s.status = 'ready'
      and not exists (select 1 from scene_versions v where v.id = s.current_version_id and v.scene_id = s.id)`;
    expect(dangling?.n).toBe(0);
  });
});

describe('db:seed --scale', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const counts = async () => {
    const [row] = await db.sql<{ users: number; projects: number; scenes: number; characters: number }[]>`
      select (select count(*)::int from users where email like 'bench-user-%') as users,
        (select count(*)::int from projects where title like 'Benchmark project %') as projects,
        (select count(*)::int from scenes s join projects p on p.id = s.project_id where p.title like 'Benchmark project %') as scenes,
        (select count(*)::int from characters c join projects p on p.id = c.project_id where p.title like 'Benchmark project %') as characters`;
    return row;
  };

  it('loads exactly N scenes and N characters, and growing the scale adds only the difference', async () => {
    const first = await runSeed({ databaseUrl: db.url, log: noLog, scale: 2050 });
    expect(first.scale?.inserted).toEqual({ users: 3, projects: 21, scenes: 2050, characters: 2050 });
    expect(await counts()).toEqual({ users: 3, projects: 21, scenes: 2050, characters: 2050 });
    const again = await runSeed({ databaseUrl: db.url, log: noLog, scale: 2050 });
    expect(again.scale?.inserted).toEqual({ users: 0, projects: 0, scenes: 0, characters: 0 });
    await runSeed({ databaseUrl: db.url, log: noLog, scale: 2500 });
    // Project 20 already existed with 50 rows at scale 2050, so it keeps 50: growing is per whole project.
    expect(await counts()).toEqual({ users: 3, projects: 25, scenes: 2450, characters: 2450 });
  });

  it('is deterministic at scale too: two databases get identical scale data', async () => {
    const [x, y] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    try {
      await runSeed({ databaseUrl: x.url, log: noLog, scale: 250 });
      await runSeed({ databaseUrl: y.url, log: noLog, scale: 250 });
      const [sx, sy] = await Promise.all([databaseStats(x.sql), databaseStats(y.sql)]);
      expect(sx).toEqual(sy);
      expect(sx.find((t) => t.table === 'characters')?.rows).toBe(250 + buildDemoData().characters.length);
    } finally {
      await Promise.all([x.drop(), y.drop()]);
    }
  });

  it('lets two concurrent seeds of one database both succeed without duplicating anything', async () => {
    const z = await createTestDatabase();
    try {
      const results = await Promise.all([runSeed({ databaseUrl: z.url, log: noLog, scale: 400 }), runSeed({ databaseUrl: z.url, log: noLog, scale: 400 })]);
      expect(results.map((r) => r.scale?.inserted.scenes ?? 0).sort()).toEqual([0, 400]);
      const [row] = await z.sql<{ scenes: number; ledger: number }[]>`
        select (select count(*)::int from scenes) as scenes, (select count(*)::int from credit_ledger) as ledger`;
      expect(row).toEqual({ scenes: 400 + buildDemoData().scenes.length, ledger: 1 });
    } finally {
      await z.drop();
    }
  });

  it('writes scale data whose embeddings are unit length and whose scenes pass validation', async () => {
    const [faces] = await db.sql<{ bad: number }[]>`
      select count(*) filter (where abs(vector_norm(face_embedding) - 1) > 1e-3)::int as bad from characters`;
    expect(faces?.bad).toBe(0);
    const params = await db.sql<{ parameters: unknown }[]>`select parameters from scenes order by id limit 200`;
    for (const p of params) expect(sceneParametersSchema.safeParse(p.parameters).success).toBe(true);
  });

  it('refuses a bad --scale and an unmigrated or unreachable database', async () => {
    await expect(runSeed({ databaseUrl: db.url, log: noLog, scale: -3 })).rejects.toMatchObject({ code: 'INVALID_SCALE' });
    const empty = await createTestDatabase({ migrated: false });
    try {
      await expect(runSeed({ databaseUrl: empty.url, log: noLog })).rejects.toMatchObject({ code: 'NOT_MIGRATED' });
    } finally {
      await empty.drop();
    }
    const port = await freePort();
    const error = await runSeed({ databaseUrl: `postgres://postgres@127.0.0.1:${port}/x`, log: noLog }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SeedError);
    expect((error as SeedError).code).toBe('DATABASE_UNREACHABLE');
  });
});
