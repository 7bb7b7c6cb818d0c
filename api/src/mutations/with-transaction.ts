import type postgres from 'postgres';
import { isConnectionLost } from '../errors/pg-error';

/**
 * Runs `fn` in a transaction on a reserved connection with plain BEGIN/COMMIT. Unlike postgres.js's
 * `sql.begin`, a query that fails and is caught (then rolled back to a savepoint) does not fail the
 * commit, which is what per-mutation savepoints need.
 *
 * @example await withTransaction(sql, (tx) => applyMutations({ tx, userId, clientId, mutations, clock }))
 */
export async function withTransaction<T>(sql: postgres.Sql, fn: (tx: postgres.ReservedSql) => Promise<T>): Promise<T> {
  const tx = await sql.reserve();
  let dead = false;
  try {
    // Not awaited on its own: BEGIN is pipelined with fn's first statements (one round trip fewer).
    const begin = tx.unsafe('begin').execute();
    begin.catch(() => undefined);
    let result: T;
    try {
      [, result] = await Promise.all([begin, fn(tx)]);
    } catch (e) {
      if (isConnectionLost(e)) {
        // Postgres rolled back with the connection. postgres.js (3.4.9) would write the next query on a
        // reserved connection to its dead socket (an uncaught TypeError) and release() would hand the
        // dead connection back to the pool as open, so: no rollback, no release. The pool has already
        // moved it to its closed queue and reconnects it on demand.
        dead = true;
      } else {
        await tx.unsafe('rollback').catch(() => undefined);
      }
      throw e;
    }
    await tx.unsafe('commit');
    return result;
  } catch (e) {
    if (isConnectionLost(e)) dead = true;
    throw e;
  } finally {
    if (!dead) tx.release();
  }
}
