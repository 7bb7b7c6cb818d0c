import type postgres from 'postgres';

/** What the apply path needs for one batch; caches live for one transaction only. */
export interface WriteContext {
  /** A connection inside an open transaction (see withTransaction). */
  tx: Tx;
  userId: string;
  clientId: string;
  /** project id → owner user id, filled by lookups and inserts within this transaction. */
  projectOwners: Map<string, string>;
}

/** The transaction's xid as logical replication reports it (32-bit, a JSON number). */
export async function currentTxid(tx: Tx): Promise<number> {
  // pg_current_xact_id() is 64-bit (epoch << 32 | xid); ::xid keeps the 32-bit part pgoutput's Begin carries.
  const [row] = await tx<{ txid: string }[]>`select pg_current_xact_id()::xid::text as txid`;
  if (!row) throw new Error('pg_current_xact_id() returned no row');
  return Number(row.txid);
}

/** A connection inside an open transaction: postgres.js `sql.begin`'s tx or a reserved connection. */
export type Tx = postgres.TransactionSql | postgres.ReservedSql;
