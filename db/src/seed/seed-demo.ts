import { sql as raw } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import { brains } from '../schema/brains';
import { characters } from '../schema/characters';
import { creditLedger } from '../schema/credit-ledger';
import { formatTemplates } from '../schema/format-templates';
import { projects } from '../schema/projects';
import { sceneVersions } from '../schema/scene-versions';
import { scenes } from '../schema/scenes';
import { users } from '../schema/users';
import { buildDemoData, DEFAULT_SEED, DEMO_GRANT_CREDITS } from './demo-data';
import { seedTime } from './seed-ids';

export interface SeedDemoOptions {
  sql: postgres.Sql;
  log: (line: string) => void;
  seed?: string;
}

export interface SeedDemoResult {
  demoUserId: string;
  /** Rows inserted per table by this call (0 everywhere on a re-seed). */
  inserted: Record<string, number>;
}

/**
 * Writes the demo data in one transaction. Idempotent: every row has a fixed id and is inserted with
 * ON CONFLICT DO NOTHING, and the demo user's credit grant is written only by the call that created
 * the user (ledger row and credits_balance in the same transaction, as the API does).
 */
export async function seedDemo({ sql, log, seed = DEFAULT_SEED }: SeedDemoOptions): Promise<SeedDemoResult> {
  const data = buildDemoData(seed);
  const inserted: Record<string, number> = {};
  await drizzle({ client: sql }).transaction(async (tx) => {
    const createdUsers = await tx.insert(users).values([data.demoUser, data.studioUser]).onConflictDoNothing().returning({ id: users.id });
    inserted.users = createdUsers.length;
    if (createdUsers.some((u) => u.id === data.demoUser.id)) {
      await tx.insert(creditLedger).values({ userId: data.demoUser.id, delta: DEMO_GRANT_CREDITS, reason: 'grant', balanceAfter: DEMO_GRANT_CREDITS, createdAt: seedTime(0) });
      await tx.update(users).set({ creditsBalance: raw`${users.creditsBalance} + ${DEMO_GRANT_CREDITS}` }).where(raw`${users.id} = ${data.demoUser.id}`);
      inserted.credit_ledger = 1;
    }
    const count = async (table: string, rows: Promise<unknown[]>) => {
      inserted[table] = (await rows).length;
    };
    await count('format_templates', tx.insert(formatTemplates).values(data.formatTemplates).onConflictDoNothing().returning({ id: formatTemplates.id }));
    await count('brains', tx.insert(brains).values(data.brains).onConflictDoNothing().returning({ id: brains.id }));
    await count('projects', tx.insert(projects).values(data.projects).onConflictDoNothing().returning({ id: projects.id }));
    await count('scenes', tx.insert(scenes).values(data.scenes).onConflictDoNothing().returning({ id: scenes.id }));
    await count('scene_versions', tx.insert(sceneVersions).values(data.sceneVersions).onConflictDoNothing().returning({ id: sceneVersions.id }));
    await count('characters', tx.insert(characters).values(data.characters).onConflictDoNothing().returning({ id: characters.id }));
  });
  const total = Object.values(inserted).reduce((a, b) => a + b, 0);
  log(total === 0 ? 'demo data already present (nothing inserted)' : `demo data: ${Object.entries(inserted).map(([t, n]) => `${t} ${n}`).join(', ')}`);
  return { demoUserId: data.demoUser.id, inserted };
}
