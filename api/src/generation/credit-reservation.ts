import type { Logger } from 'pino';
import type postgres from 'postgres';
import { ApiError } from '../errors/api-error';
import { debitCredits, grantCredits } from '../ledger/credits';
import { withTransaction } from '../mutations/with-transaction';

export interface CreditReservationOptions {
  sql: postgres.Sql;
  userId: string;
  /** The scene version the generation will record: every ledger row of this reservation names it. */
  referenceId: string;
  logger: Logger;
}

export interface CreditReservation {
  /**
   * Makes the hold exactly `credits`: debits what is missing ('generation') or refunds the excess
   * ('refund'), each in its own committed transaction, so a concurrent request sees the credits gone
   * before anything is rendered. false (nothing changed) when the balance cannot cover an increase.
   */
  hold(credits: number): Promise<boolean>;
  /**
   * Turns the hold into the final charge once the answer is served, before it is recorded (so the
   * response, charge and balance included, is known inside the recording transaction): refunds the excess
   * or debits the shortfall. A shortfall the balance cannot cover is not charged (the user pays the quote
   * they were held for, logged); a failing refund is logged, not thrown, because the answer is delivered.
   * If recording then fails, `release` refunds what is still held.
   */
  settle(credits: number): Promise<{ charged: number }>;
  /** Refunds the whole hold (render or recording failed, or the request was refused); logs, never throws. */
  release(cause: unknown): Promise<void>;
  /** Credits currently held. */
  readonly held: number;
  /** The balance after this reservation's last ledger change or refusal; null while there was none. */
  readonly balance: number | null;
}

/**
 * Credits for one paid generation, taken before spending and settled after: the guarded ledger debit is
 * the gate, so two concurrent misses with credits for one cannot both render.
 *
 * @example
 *   const r = createCreditReservation({ sql, userId, referenceId: versionId, logger });
 *   if (!(await r.hold(50))) throw new ApiError('insufficient_credits', …);
 *   const video = await render().catch(async (e) => { await r.release(e); throw e; });
 *   await r.settle(actualCredits);
 *   await record(video).catch(async (e) => { await r.release(e); throw e; });
 */
export function createCreditReservation({ sql, userId, referenceId, logger }: CreditReservationOptions): CreditReservation {
  let held = 0;
  let balance: number | null = null;

  async function debit(amount: number): Promise<void> {
    balance = (await withTransaction(sql, (tx) => debitCredits({ tx, userId, amount, reason: 'generation', referenceId }))).balance;
    held += amount;
  }
  async function refund(amount: number): Promise<void> {
    balance = (await withTransaction(sql, (tx) => grantCredits({ tx, userId, amount, reason: 'refund', referenceId }))).balance;
    held -= amount;
  }
  /** Debits `amount`; false on insufficient credits (the guard wrote nothing), other failures throw. */
  async function tryDebit(amount: number): Promise<boolean> {
    try {
      await debit(amount);
      return true;
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'insufficient_credits') throw error;
      balance = Number(error.details.balance);
      return false;
    }
  }

  return {
    get held() {
      return held;
    },
    get balance() {
      return balance;
    },
    async hold(credits) {
      if (credits > held) return tryDebit(credits - held);
      if (credits < held) await refund(held - credits);
      return true;
    },
    async settle(credits) {
      try {
        if (credits < held) await refund(held - credits);
        else if (credits > held && !(await tryDebit(credits - held))) {
          logger.warn({ userId, referenceId, held, actual: credits, balance }, 'generation cost more than its reservation and the balance cannot cover the difference; charged the reservation');
        }
      } catch (err) {
        logger.error({ err, userId, referenceId, held, actual: credits }, 'settling a credit reservation failed; the hold stands as the charge');
      }
      return { charged: held };
    },
    async release(cause) {
      if (held === 0) return;
      const amount = held;
      try {
        await refund(amount);
        logger.info({ err: cause, userId, referenceId, credits: amount }, 'refunded a credit reservation: the generation was not delivered');
      } catch (err) {
        // The debit row (reference_id = the never-recorded version id) is what an operator refunds from.
        logger.error({ err, cause: cause instanceof Error ? cause.message : String(cause), userId, referenceId, credits: amount }, 'refunding a credit reservation failed; credits are held without a version');
      }
    },
  };
}
