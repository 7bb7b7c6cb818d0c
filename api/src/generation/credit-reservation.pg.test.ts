import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../testing/api-harness';
import { ledgerOf } from '../testing/ledger-assertions';
import { createCreditReservation } from './credit-reservation';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ startingCredits: 100 });
});
afterAll(() => h.close());

async function reservationFor() {
  const { userId } = await h.login();
  const referenceId = randomUUID();
  return { userId, referenceId, r: createCreditReservation({ sql: h.db.sql, userId, referenceId, logger: pino({ level: 'silent' }) }) };
}

describe('credit reservation', () => {
  it('a later hold replaces the earlier one (an L4 hold that became a cheaper render) and settle charges the actual cost', async () => {
    const { userId, referenceId, r } = await reservationFor();
    expect(await r.hold(50)).toBe(true);
    expect(await r.hold(50)).toBe(true);
    expect(await r.hold(20)).toBe(true);
    expect(r.held).toBe(20);
    expect(await r.settle(20)).toEqual({ charged: 20 });
    expect(r.balance).toBe(80);
    expect(await ledgerOf(h.db.sql, userId)).toEqual(['grant:100', 'generation:-50', 'refund:30']);
    const refs = await h.db.sql<{ reference_id: string | null }[]>`select reference_id from credit_ledger where user_id = ${userId} and reason <> 'grant'`;
    expect(refs.map((x) => x.reference_id)).toEqual([referenceId, referenceId]);
  });

  it('a hold the balance cannot cover is refused with nothing written and the earlier hold kept; release refunds it', async () => {
    const { userId, r } = await reservationFor();
    expect(await r.hold(60)).toBe(true);
    expect(await r.hold(120)).toBe(false);
    expect(r.held).toBe(60);
    expect(r.balance).toBe(40);
    await r.release(new Error('render failed'));
    expect(r.held).toBe(0);
    expect(r.balance).toBe(100);
    expect(await ledgerOf(h.db.sql, userId)).toEqual(['grant:100', 'generation:-60', 'refund:60']);
  });

  it('a shortfall the balance cannot cover leaves the hold as the charge', async () => {
    const { userId, r } = await reservationFor();
    expect(await r.hold(90)).toBe(true);
    expect(await r.settle(130)).toEqual({ charged: 90 });
    expect(await ledgerOf(h.db.sql, userId)).toEqual(['grant:100', 'generation:-90']);
  });
});
