// Test-only helpers: a real database (fresh per test file), the real app, real JWTs.
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createApiApp, type ApiAppDeps } from '../app';
import type { MutationResult } from '../mutations/mutation-schema';

export const TEST_JWT_SECRET = 'test-secret-please-change-0123456789';

export interface Harness {
  db: TestDatabase;
  app: ReturnType<typeof createApiApp>;
  registry: Registry;
  login(email?: string): Promise<{ token: string; userId: string }>;
  mutate(token: string, mutations: unknown[], clientId?: string): Promise<{ status: number; body: MutationsBody }>;
  close(): Promise<void>;
}

export interface MutationsBody {
  txid: number;
  results: MutationResult[];
  code?: string;
}

export async function createHarness(overrides: Partial<ApiAppDeps> = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const registry = new Registry();
  const app = createApiApp({
    sql: db.sql,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    registry,
    auth: { jwtSecret: TEST_JWT_SECRET, devMode: true },
    rateLimit: false,
    ...overrides,
  });
  return {
    db,
    app,
    registry,
    async login(email = `${randomUUID()}@example.test`) {
      const res = await app.request('/v1/auth/dev-login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      if (res.status !== 200) throw new Error(`dev-login failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as { token: string; userId: string };
    },
    async mutate(token, mutations, clientId = 'test-client') {
      const res = await app.request('/v1/mutations', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ clientId, mutations }),
      });
      return { status: res.status, body: (await res.json()) as MutationsBody };
    },
    close: () => db.drop(),
  };
}

let counter = 0;
/** An HLC string at `wall` ms for `client` (counter auto-increments so each call is unique). */
export function hlcAt(wall: number, client: string, c = counter++ % 1000): string {
  return `${String(wall).padStart(15, '0')}-${String(c).padStart(6, '0')}-${client}`;
}

/** Builders for wire mutations. */
export const m = {
  insert: (table: string, id: string, fields: Record<string, unknown>, hlc: string) =>
    ({ mutationId: randomUUID(), table, op: 'insert', id, fields, hlc }) as const,
  update: (table: string, id: string, fields: Record<string, unknown>, hlc: string) =>
    ({ mutationId: randomUUID(), table, op: 'update', id, fields, hlc }) as const,
  delete: (table: string, id: string, hlc: string) => ({ mutationId: randomUUID(), table, op: 'delete', id, fields: {}, hlc }) as const,
};

export function statuses(body: MutationsBody): string[] {
  return body.results.map((r) => (r.status === 'rejected' ? `rejected:${r.error.code}` : r.status));
}
