// Credit-ledger checks shared by the generation tests (reservations, orphaned holds, idempotent retries).
import type postgres from 'postgres';
import { expect } from 'vitest';

/** The user's ledger in order, as `reason:delta` (e.g. ['grant:120', 'generation:-50', 'refund:50']). */
export async function ledgerOf(sql: postgres.Sql, userId: string): Promise<string[]> {
  const rows = await sql<{ delta: number; reason: string }[]>`select delta, reason from credit_ledger where user_id = ${userId} order by id`;
  return rows.map((r) => `${r.reason}:${r.delta}`);
}

/**
 * Every row's balance_after follows from the one before, the last one is the user's balance, and (when
 * given) that balance is `balance`.
 */
export async function expectLedgerConsistent(sql: postgres.Sql, userId: string, balance?: number): Promise<void> {
  const rows = await sql<{ delta: number; balance_after: number }[]>`select delta, balance_after from credit_ledger where user_id = ${userId} order by id`;
  let running = 0;
  for (const r of rows) {
    running += r.delta;
    expect(r.balance_after).toBe(running);
  }
  const [user] = await sql<{ credits_balance: number }[]>`select credits_balance from users where id = ${userId}`;
  expect(user?.credits_balance).toBe(running);
  if (balance !== undefined) expect(running).toBe(balance);
}
