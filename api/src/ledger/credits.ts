import type { CreditReason } from '@storyforge/db';
import { ApiError } from '../errors/api-error';
import type { Tx } from '../mutations/write-context';

export interface CreditChangeOptions {
  /** Run inside the caller's transaction so the charge commits with the work it pays for. */
  tx: Tx;
  userId: string;
  /** Positive number of credits. */
  amount: number;
  reason: CreditReason;
  /** What the credits were for (a generation id, a purchase id); optional. */
  referenceId?: string | null;
}

export interface CreditChange {
  ledgerId: number;
  balance: number;
}

/**
 * The only way credits move: one append-only credit_ledger row plus users.credits_balance, in the same
 * transaction. The guarded UPDATE (`credits_balance + delta >= 0`) takes the row lock, so concurrent
 * debits serialise and the balance can never go negative.
 */
async function changeCredits({ tx, userId, amount, reason, referenceId = null }: CreditChangeOptions, sign: 1 | -1): Promise<CreditChange> {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new ApiError('invalid_value', 'A credit amount is a positive integer', { amount });
  }
  const delta = sign * amount;
  const [user] = await tx<{ credits_balance: number }[]>`
    update users set credits_balance = credits_balance + ${delta}, updated_at = now()
    where id = ${userId} and credits_balance + ${delta} >= 0
    returning credits_balance`;
  if (!user) {
    const [exists] = await tx<{ credits_balance: number }[]>`select credits_balance from users where id = ${userId}`;
    if (!exists) throw new ApiError('not_found', `User ${userId} does not exist`, { userId });
    throw new ApiError('insufficient_credits', `Needs ${amount} credits, has ${exists.credits_balance}`, {
      required: amount,
      balance: exists.credits_balance,
    });
  }
  const [entry] = await tx<{ id: string }[]>`
    insert into credit_ledger (user_id, delta, reason, reference_id, balance_after)
    values (${userId}, ${delta}, ${reason}, ${referenceId}, ${user.credits_balance})
    returning id`;
  return { ledgerId: Number(entry?.id), balance: user.credits_balance };
}

/** Adds credits (grant, purchase, refund). */
export function grantCredits(options: CreditChangeOptions): Promise<CreditChange> {
  return changeCredits(options, 1);
}

/** Takes credits; 402 `insufficient_credits` (nothing written) when the balance would go negative. */
export function debitCredits(options: CreditChangeOptions): Promise<CreditChange> {
  return changeCredits(options, -1);
}
