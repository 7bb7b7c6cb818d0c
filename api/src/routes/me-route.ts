import { Hono } from 'hono';
import type postgres from 'postgres';
import type { AuthVariables } from '../auth/require-auth';
import { ApiError } from '../errors/api-error';

/** How many ledger entries GET /v1/me shows. */
export const RECENT_LEDGER_ENTRIES = 20;

/** GET /v1/me: the caller's profile, credit balance and most recent ledger entries. */
export function meRoute({ sql }: { sql: postgres.Sql }) {
  return new Hono<{ Variables: AuthVariables }>().get('/', async (c) => {
    const userId = c.get('userId');
    const [[user], ledger] = await Promise.all([
      sql`select id, email, display_name, avatar_url, subscription_tier, credits_balance, settings, created_at, updated_at
          from users where id = ${userId}`,
      sql`select id, delta, reason, reference_id, balance_after, created_at
          from credit_ledger where user_id = ${userId} order by id desc limit ${RECENT_LEDGER_ENTRIES}`,
    ]);
    if (!user) throw new ApiError('not_found', 'Your user no longer exists', { userId });
    return c.json({ user, ledger: ledger.map((e) => ({ ...e, id: Number(e.id) })) });
  });
}
