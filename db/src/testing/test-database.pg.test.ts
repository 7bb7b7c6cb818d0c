import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './test-database';

describe('createTestDatabase', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('gives a database with pgvector and logical WAL', async () => {
    const [ext] = await db.sql<{ n: number }[]>`select count(*)::int as n from pg_extension where extname = 'vector'`;
    const [wal] = await db.sql<{ wal_level: string }[]>`show wal_level`;
    expect(ext?.n).toBe(1);
    expect(wal?.wal_level).toBe('logical');
  });

  it('drops the database together with its replication slots', async () => {
    const other = await createTestDatabase({ migrated: false });
    await other.sql`select pg_create_logical_replication_slot(${`${other.name}_slot`}, 'pgoutput')`;
    await other.drop();
    const rows = await db.sql`select 1 from pg_database where datname = ${other.name}`;
    const slots = await db.sql`select 1 from pg_replication_slots where database = ${other.name}`;
    expect(rows.length).toBe(0);
    expect(slots.length).toBe(0);
  });
});
