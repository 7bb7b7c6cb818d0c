import type postgres from 'postgres';

/**
 * Runs `fn` in a transaction on a reserved connection with plain BEGIN/COMMIT. Unlike postgres.js's
 * `sql.begin`, a query that fails and is caught (then rolled back to a savepoint) does not fail the
 * commit, which is what per-mutation savepoints need.
 *
 * @example await withTransaction(sql, (tx) => applyMutations({ tx, userId, clientId, mutations, clock }))
 */
export async function withTransaction<T>(sql: postgres.Sql, fn: (tx: postgres.ReservedSql) => Promise<T>): Promise<T> {
  const tx = await sql.reserve();
  try {
    // Not awaited on its own: BEGIN is pipelined with fn's first statements (one round trip fewer).
    const begin = tx.unsafe('begin').execute();
    begin.catch(() => undefined);
    let result: T;
    try {
      [, result] = await Promise.all([begin, fn(tx)]);
    } catch (e) {
      // If the connection itself is gone, Postgres has already rolled back; keep the original error.
      await tx.unsafe('rollback').catch(() => undefined);
      throw e;
    }
    await tx.unsafe('commit');
    return result;
  } finally {
    tx.release();
  }
}
