import { withTransaction } from '../mutations/with-transaction';
import { Hono } from 'hono';
import type postgres from 'postgres';
import { z } from 'zod';
import { issueToken } from '../auth/tokens';
import type { ServerClock } from '../clock/server-clock';
import { ApiError } from '../errors/api-error';
import { readJson, requireJson } from '../http/require-json';
import { uuidV7 } from '../ids/uuid-v7';
import { grantCredits } from '../ledger/credits';

/** Credits a user created by dev login starts with (granted through the ledger). */
export const DEFAULT_STARTING_CREDITS = 1000;

const bodySchema = z.strictObject({
  email: z.email().max(320),
  userId: z.uuid().optional(),
  displayName: z.string().max(200).optional(),
});

export interface DevLoginDeps {
  sql: postgres.Sql;
  jwtSecret: string;
  clock: ServerClock;
  now: () => number;
  startingCredits?: number;
}

/**
 * POST /v1/auth/dev-login { email, userId?, displayName? } → { token, userId }. Only mounted in dev mode.
 * Finds the user by email or creates it (with `userId` if given) plus a starting grant in the ledger.
 */
export function devLoginRoute({ sql, jwtSecret, clock, now, startingCredits = DEFAULT_STARTING_CREDITS }: DevLoginDeps) {
  return new Hono().post('/', requireJson, async (c) => {
    const parsed = bodySchema.safeParse(await readJson(c.req));
    if (!parsed.success) {
      throw new ApiError('invalid_body', 'Expected { email, userId?, displayName? }', {
        issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
      });
    }
    const { email, displayName = email.split('@')[0] ?? '' } = parsed.data;
    const userId = await withTransaction(sql, async (tx) => {
      const [existing] = await tx<{ id: string }[]>`select id from users where email = ${email}`;
      if (existing) return existing.id;
      const id = parsed.data.userId ?? uuidV7(now());
      const hlc = clock.tick();
      const [created] = await tx<{ id: string }[]>`
        insert into users (id, email, display_name, field_clocks)
        values (${id}, ${email}, ${displayName}, ${tx.json({ display_name: hlc })})
        on conflict do nothing returning id`;
      if (!created) {
        // Lost a race with a concurrent login for the same email (or the id is taken).
        const [again] = await tx<{ id: string }[]>`select id from users where email = ${email}`;
        if (!again) throw new ApiError('conflict', 'That user id belongs to another email', { userId: id });
        return again.id;
      }
      if (startingCredits > 0) await grantCredits({ tx, userId: id, amount: startingCredits, reason: 'grant' });
      return id;
    });
    const token = await issueToken({ userId, secret: jwtSecret, now: now() });
    return c.json({ token, userId });
  });
}
