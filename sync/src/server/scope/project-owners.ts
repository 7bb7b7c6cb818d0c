import type postgres from 'postgres';
import { parseUuidInput } from '../where/scalar-input';

/** A committed change as the core reports it (text rows; old row present thanks to REPLICA IDENTITY FULL). */
export interface OwnerChange {
  operation: 'insert' | 'update' | 'delete';
  newRow: Readonly<Record<string, string | null>> | null;
  oldRow: Readonly<Record<string, string | null>> | null;
}

/**
 * projectId → owner userId, for scoping a project's children (scenes, characters, scene_versions) on the
 * live stream without a query per change. Fed with every committed `projects` change, in commit order,
 * before that transaction's changes are routed, so a scene inserted together with its project is scoped.
 *
 * Deleted projects keep their entry: the cascaded deletes of their children are logged *after* the parent's
 * delete in the same transaction, and they must still reach the owner's shapes. Project ids are never reused
 * (tombstones refuse resurrection), so a kept entry cannot scope a new row wrongly; the cost is ~100 bytes
 * per deleted project until the process restarts.
 */
export class ProjectOwners {
  readonly #owners = new Map<string, string>();

  constructor(private readonly columns: { id: string; owner: string } = { id: 'id', owner: 'user_id' }) {}

  ownerOf(projectId: string | null | undefined): string | undefined {
    if (projectId == null) return undefined;
    return this.#owners.get(projectId);
  }

  get size(): number {
    return this.#owners.size;
  }

  set(projectId: string, ownerId: string): void {
    const id = parseUuidInput(projectId);
    const owner = parseUuidInput(ownerId);
    if (id !== undefined && owner !== undefined) this.#owners.set(id, owner);
  }

  observe(change: OwnerChange): void {
    // Inserts and updates (including an owner change by the server) set the current owner. A delete keeps
    // (or, when replayed after a restart whose load() no longer saw the project, restores from the old row)
    // the owner, so the cascaded child deletes that follow it are still routed.
    const row = change.operation === 'delete' ? change.oldRow : change.newRow;
    if (row === null) return;
    if (change.operation === 'delete' && this.ownerOf(row[this.columns.id]) !== undefined) return;
    const id = row[this.columns.id];
    const owner = row[this.columns.owner];
    if (id != null && owner != null) this.set(id, owner);
  }

  /** Loads every existing project's owner (call after the projects table is in the publication). */
  async load(sql: postgres.Sql, table: { schema: string; name: string }): Promise<void> {
    const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
    const rows = await sql.unsafe<Array<{ id: string; owner: string }>>(
      `select ${q(this.columns.id)}::text as id, ${q(this.columns.owner)}::text as owner from ${q(table.schema)}.${q(table.name)}`,
    );
    for (const row of rows) this.set(row.id, row.owner);
  }
}
