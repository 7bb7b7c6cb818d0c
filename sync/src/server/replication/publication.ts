import type postgres from 'postgres';
import { qualifiedName, quoteIdent } from '../schema/table-name';
import type { TableInfo } from '../schema/load-table';

/** Creates the (initially empty) publication if missing. */
export async function ensurePublication(sql: postgres.Sql, publicationName: string): Promise<void> {
  const pubs = await sql`select 1 from pg_publication where pubname = ${publicationName}`;
  if (pubs.length === 0) {
    // Racing servers may both try; duplicate_object (42710) means the other one won.
    // publish_via_partition_root: changes of a partitioned table arrive under the table's own OID (the one
    // its shapes are registered with), not under each leaf partition's.
    await sql.unsafe(`create publication ${quoteIdent(publicationName)} with (publish_via_partition_root = true)`).catch((e: { code?: string }) => {
      if (e.code !== '42710') throw e;
    });
  } else {
    await sql.unsafe(`alter publication ${quoteIdent(publicationName)} set (publish_via_partition_root = true)`);
  }
}

/** Creates the permanent pgoutput slot if missing. */
export async function ensureSlot(sql: postgres.Sql, slotName: string): Promise<void> {
  const slots = await sql`select 1 from pg_replication_slots where slot_name = ${slotName}`;
  if (slots.length === 0) {
    await sql`select pg_create_logical_replication_slot(${slotName}, 'pgoutput')`.catch((e: { code?: string }) => {
      if (e.code !== '42710') throw e;
    });
  }
}

/**
 * Makes a table's changes flow into the slot: adds it to the publication and sets REPLICA IDENTITY FULL.
 * FULL makes Postgres log the whole old row on UPDATE/DELETE: it costs WAL volume, and in exchange we can
 * see moves into/out of a where clause, fill unchanged TOAST values and send `old_value` for
 * replica=full without keeping our own copy of every row. pgoutput only includes a newly published
 * table in transactions that commit after the ALTER, which is why this runs before the shape registers
 * and takes its snapshot.
 */
export async function publishTable(sql: postgres.Sql, publicationName: string, table: TableInfo): Promise<void> {
  const name = qualifiedName(table);
  if (table.replicaIdentity !== 'f') await sql.unsafe(`alter table ${name} replica identity full`);
  const inPub = await sql`select 1 from pg_publication_rel where prpubid = (select oid from pg_publication where pubname = ${publicationName}) and prrelid = ${table.oid}`;
  if (inPub.length === 0) {
    await sql.unsafe(`alter publication ${quoteIdent(publicationName)} add table ${name}`).catch((e: { code?: string }) => {
      if (e.code !== '42710') throw e; // already a member (a concurrent request added it)
    });
  }
}
