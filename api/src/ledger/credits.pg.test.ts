import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../errors/api-error';
import { withTransaction } from '../mutations/with-transaction';
import { createHarness, type Harness } from '../testing/api-harness';
import { debitCredits, grantCredits } from './credits';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ startingCredits: 100 });
});
afterAll(() => h.close());

async function me(token: string) {
  const res = await h.app.request('/v1/me', { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as { user: { id: string; credits_balance: number }; ledger: { delta: number; reason: string; balance_after: number }[] };
}

describe('credits ledger', () => {
  it('dev login grants the starting credits through the ledger; GET /v1/me shows balance and entries', async () => {
    const { token, userId } = await h.login();
    const body = await me(token);
    expect(body.user).toMatchObject({ id: userId, credits_balance: 100 });
    expect(body.ledger).toEqual([expect.objectContaining({ delta: 100, reason: 'grant', balance_after: 100 })]);
  });

  it('a second login for the same email is the same user and grants nothing', async () => {
    const email = `${randomUUID()}@example.test`;
    const a = await h.login(email);
    const b = await h.login(email);
    expect(b.userId).toBe(a.userId);
    expect((await me(b.token)).ledger).toHaveLength(1);
  });

  it('debits and grants move balance and ledger together; overdrawing is 402 insufficient_credits and writes nothing', async () => {
    const { token, userId } = await h.login();
    const ref = randomUUID();
    await withTransaction(h.db.sql, (tx) => debitCredits({ tx, userId, amount: 30, reason: 'generation', referenceId: ref }));
    await withTransaction(h.db.sql, (tx) => grantCredits({ tx, userId, amount: 5, reason: 'refund' }));
    const err = await withTransaction(h.db.sql, (tx) => debitCredits({ tx, userId, amount: 76, reason: 'generation' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('insufficient_credits');
    expect((err as ApiError).status).toBe(402);
    const body = await me(token);
    expect(body.user.credits_balance).toBe(75);
    expect(body.ledger.map((e) => [e.delta, e.balance_after])).toEqual([[5, 75], [-30, 70], [100, 100]]);
  });

  it('concurrent debits never take the balance below zero', async () => {
    const { token, userId } = await h.login();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, () => withTransaction(h.db.sql, (tx) => debitCredits({ tx, userId, amount: 10, reason: 'generation' }))),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
    const body = await me(token);
    expect(body.user.credits_balance).toBe(0);
    const [sum] = await h.db.sql`select sum(delta)::int as s from credit_ledger where user_id = ${userId}`;
    expect(sum!.s).toBe(0);
  });

  it('rejects non-positive amounts and unknown users', async () => {
    const { userId } = await h.login();
    await expect(withTransaction(h.db.sql, (tx) => grantCredits({ tx, userId, amount: 0, reason: 'grant' }))).rejects.toMatchObject({ code: 'invalid_value' });
    await expect(withTransaction(h.db.sql, (tx) => grantCredits({ tx, userId: randomUUID(), amount: 1, reason: 'grant' }))).rejects.toMatchObject({ code: 'not_found' });
  });
});
