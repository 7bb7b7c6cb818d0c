import type postgres from 'postgres';
import { syncedTables as defaultTables, type SyncedTable } from '@storyforge/db';
import { loadTable, type TableInfo } from '../schema/load-table';
import { publishTable } from '../replication/publication';
import type { ObservedChange, ScopePolicy, ShapeScope } from '../shapes/scope-policy';
import { quoteIdent } from '../where/render-where-sql';
import { parseUuidInput } from '../where/scalar-input';
import { ProjectOwners } from './project-owners';
import { NOTHING, scopeRule, type UserScope } from './scope-rules';

export interface CreateScopePolicyOptions {
  /** Synced tables by SQL name (default: `syncedTables` from @storyforge/db). */
  tables?: Readonly<Record<string, SyncedTable>>;
  /** Schema of the synced tables (default `public`). */
  schema?: string;
  /** Table whose rows own the `project`-scoped tables (default `projects`). */
  projectsTable?: string;
  /**
   * With a connection, the policy loads itself before the first scoped shape is built (scopeFor awaits
   * it), publishing the projects table first when `publicationName` is set — no separate load() call needed.
   */
  sql?: postgres.Sql;
  publicationName?: string;
}

export interface LoadScopeOptions {
  /**
   * The sync publication: when given, the projects table is added to it (REPLICA IDENTITY FULL) before the
   * owner map is read, so no project created between the read and the first projects shape is missed.
   */
  publicationName?: string;
}

/**
 * The caller's read scope in auth mode (DESIGN.md "Sync semantics"). Implements the core's ScopePolicy
 * (`scopeFor`, `observe`) and exposes the pieces for direct use and tests.
 *
 * Caveat: a project that changes owner (projects.user_id is not client-writable; only the server could do
 * it) is not propagated retroactively: its existing children are not re-sent to the new owner or removed
 * from the old owner's shapes until each child row changes. Transfer ownership by re-creating the rows.
 *
 * @example
 *   const scope = createScopePolicy({ sql, publicationName }); // loads itself on the first scoped shape
 *   createSyncService({ …, publicationName, authenticate, scope });
 */
export interface StoryforgeScopePolicy extends ScopePolicy {
  /** Whether `schema.table` is in the synced set (anything else → 400 unknown table). */
  allowTable(table: { schema: string; name: string } | string): boolean;
  /** Column allowlist: columns a client may select or filter on; undefined when the table is not allowed. */
  columnsFor(table: { schema: string; name: string } | string): ReadonlySet<string> | undefined;
  /** The user's scope on a table; throws if the table is not allowed. */
  forUser(userId: string, table: { schema: string; name: string } | string): UserScope;
  /** Feed every committed change, in commit order, before routing (keeps projectId → owner current). */
  observe(change: ObservedChange): void;
  /** Reads the initial projectId → owner map from Postgres. */
  load(sql: postgres.Sql, options?: LoadScopeOptions): Promise<void>;
  /** Tables whose changes `observe` needs: the core must keep them published. */
  readonly observedTables: ReadonlyArray<{ schema: string; name: string }>;
  readonly owners: ProjectOwners;
}

export function createScopePolicy(options: CreateScopePolicyOptions = {}): StoryforgeScopePolicy {
  const tables: Readonly<Record<string, SyncedTable>> = options.tables ?? defaultTables;
  const schema = options.schema ?? 'public';
  const projectsName = options.projectsTable ?? 'projects';
  const projectsMeta = tables[projectsName];
  const projectOwnerColumn = projectsMeta?.scope.kind === 'owner' ? projectsMeta.scope.column : 'user_id';
  const owners = new ProjectOwners({ id: projectsMeta?.primaryKey ?? 'id', owner: projectOwnerColumn });
  const columns = new Map(Object.entries(tables).map(([name, t]) => [name, new Set(t.columns.map((c) => c.name))]));
  const projectsTable = { schema, name: projectsName };

  const lookup = (table: { schema: string; name: string } | string): SyncedTable | undefined => {
    const t = typeof table === 'string' ? { schema, name: table } : table;
    if (t.schema !== schema || !Object.hasOwn(tables, t.name)) return undefined;
    return tables[t.name];
  };

  const forUser = (userId: string, table: { schema: string; name: string } | string): UserScope => {
    const meta = lookup(table);
    if (!meta) throw new Error(`table ${JSON.stringify(table)} is not synced; check allowTable() first`);
    const id = parseUuidInput(userId);
    // A caller id that is not a uuid owns nothing (and must not reach a ::uuid cast in SQL).
    if (id === undefined) return NOTHING;
    return scopeRule(meta.scope, {
      userId: id,
      owners,
      projectsTable: `${quoteIdent(schema)}.${quoteIdent(projectsName)}`,
      projectOwnerColumn: quoteIdent(projectOwnerColumn),
    });
  };

  const load = async (sql: postgres.Sql, loadOptions: LoadScopeOptions = {}): Promise<void> => {
    if (loadOptions.publicationName !== undefined) {
      const info = await loadTable(sql, projectsTable);
      await publishTable(sql, loadOptions.publicationName, info);
    }
    await owners.load(sql, projectsTable);
  };
  let autoLoad: Promise<void> | undefined;
  const ensureLoaded = (): Promise<void> | undefined => {
    if (options.sql === undefined) return undefined;
    autoLoad ??= load(options.sql, options.publicationName === undefined ? {} : { publicationName: options.publicationName }).catch(
      (error: unknown) => {
        autoLoad = undefined; // retried by the next shape request
        throw error;
      },
    );
    return autoLoad;
  };

  const scopeNow = (userId: string, table: TableInfo): ShapeScope | null => {
    const meta = lookup(table);
    if (!meta) return null;
    const visible = columns.get(meta.name);
    return { ...(visible ? { columns: visible } : {}), filter: forUser(userId, table) };
  };

  return {
    owners,
    observedTables: [projectsTable],
    allowTable: (table) => lookup(table) !== undefined,
    columnsFor(table) {
      const meta = lookup(table);
      return meta ? columns.get(meta.name) : undefined;
    },
    forUser,
    scopeFor({ userId, table }: { userId: string; table: TableInfo }): ShapeScope | null | Promise<ShapeScope | null> {
      if (!lookup(table)) return null;
      const loading = ensureLoaded();
      return loading === undefined ? scopeNow(userId, table) : loading.then(() => scopeNow(userId, table));
    },
    observe(change) {
      if (change.schema === schema && change.table === projectsName) owners.observe(change);
    },
    load,
  };
}
