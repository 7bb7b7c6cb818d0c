// Machine-readable metadata about the syncable tables, derived from the Drizzle tables (never re-typed):
// the API uses it for its write allowlists and validation, the sync server for its read scopes.
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import { brains } from '../schema/brains';
import { characters } from '../schema/characters';
import { SYNC_COLUMN_KEYS } from '../schema/columns';
import { formatTemplates } from '../schema/format-templates';
import { projects } from '../schema/projects';
import { sceneVersions } from '../schema/scene-versions';
import { scenes } from '../schema/scenes';
import { users } from '../schema/users';
import * as s from './table-schemas';

/** How the sync server limits a table to what the authenticated user may read (SQL column names). */
export type SyncScope =
  /** users: only the caller's own row (id = userId). */
  | { kind: 'self'; column: 'id' }
  /** projects: rows whose owner column = userId. */
  | { kind: 'owner'; column: string }
  /** scenes, characters, scene_versions: rows whose project belongs to userId. */
  | { kind: 'project'; column: string }
  /** brains, format_templates: own rows plus public ones (marketplace; built-ins have a null owner). */
  | { kind: 'owner-or-public'; column: string; publicColumn: string };

export interface SyncedColumn {
  /** TS property name (camelCase) in Drizzle rows. */
  key: string;
  /** SQL column name (snake_case): what travels on the wire. */
  name: string;
  /** false → only the server writes it; a client mutation that sets it is refused. */
  clientWritable: boolean;
  /** jsonb column: validate with the table's schema for `key`. */
  isJson: boolean;
  /** vector(n) column: n; else null. */
  vectorDimensions: number | null;
}

export interface SyncedTable {
  /** SQL table name, e.g. 'scene_versions'. */
  name: string;
  table: PgTable;
  primaryKey: 'id';
  scope: SyncScope;
  columns: readonly SyncedColumn[];
  /** SQL names the client may set on insert (id included) / on update (id excluded). */
  clientInsertColumns: readonly string[];
  clientUpdateColumns: readonly string[];
  /** SQL names only the server writes (timestamps, field_clocks, billing, generation results). */
  serverOnlyColumns: readonly string[];
  /** Strict zod schemas over TS keys for a client's insert / partial update (unknown or server-only keys refused). */
  clientInsertSchema: z.ZodType;
  clientUpdateSchema: z.ZodType;
  /** Full-row schema (server side, every column). */
  selectSchema: z.ZodType;
}

type Mask<K extends string> = { [P in K]: true };
function mask<K extends string>(keys: readonly K[]): Mask<K> {
  return Object.fromEntries(keys.map((k) => [k, true])) as Mask<K>;
}

/** id is client-chosen at insert, then immutable; the server maintains the sync columns. */
const UPDATE_IMMUTABLE = ['id'] as const;

/** Keeps each table's own schema types (so `syncedTables.scenes.clientInsertSchema.parse` is typed). */
function describe<T extends PgTable, I extends z.ZodType, U extends z.ZodType, S extends z.ZodType>(options: {
  table: T;
  scope: SyncScope;
  serverOnly: readonly string[];
  clientInsertSchema: I;
  clientUpdateSchema: U;
  selectSchema: S;
}): SyncedTable & { table: T; clientInsertSchema: I; clientUpdateSchema: U; selectSchema: S } {
  const serverOnly = new Set(options.serverOnly);
  const columns: SyncedColumn[] = Object.entries(getTableColumns(options.table)).map(([key, column]) => ({
    key,
    name: column.name,
    clientWritable: !serverOnly.has(key),
    isJson: column.dataType === 'json',
    vectorDimensions: column.columnType === 'PgVector' ? ((column as unknown as { dimensions: number }).dimensions) : null,
  }));
  const writable = columns.filter((c) => c.clientWritable);
  return {
    name: getTableName(options.table),
    table: options.table,
    primaryKey: 'id',
    scope: options.scope,
    columns,
    clientInsertColumns: writable.map((c) => c.name),
    clientUpdateColumns: writable.filter((c) => c.key !== 'id').map((c) => c.name),
    serverOnlyColumns: columns.filter((c) => !c.clientWritable).map((c) => c.name),
    clientInsertSchema: options.clientInsertSchema,
    clientUpdateSchema: options.clientUpdateSchema,
    selectSchema: options.selectSchema,
  };
}

// Server-only columns per table (TS keys), beyond created_at/updated_at/field_clocks.
const USERS_SERVER_ONLY = [...SYNC_COLUMN_KEYS, 'email', 'subscriptionTier', 'creditsBalance'] as const;
const PROJECTS_SERVER_ONLY = [...SYNC_COLUMN_KEYS] as const;
const SCENES_SERVER_ONLY = [...SYNC_COLUMN_KEYS] as const;
const CHARACTERS_SERVER_ONLY = [...SYNC_COLUMN_KEYS] as const;
const BRAINS_SERVER_ONLY = [...SYNC_COLUMN_KEYS] as const;
const FORMAT_TEMPLATES_SERVER_ONLY = [...SYNC_COLUMN_KEYS] as const;
/** The generation pipeline, not the client, fills in a version's result and cost. */
const SCENE_VERSIONS_SERVER_ONLY = [
  ...SYNC_COLUMN_KEYS,
  'videoUrl',
  'thumbnailUrl',
  'mediaAssetId',
  'cacheLayer',
  'costUsd',
  'generationMs',
] as const;

export const userClientInsertSchema = s.userInsertSchema.omit(mask(USERS_SERVER_ONLY)).strict();
export const userClientUpdateSchema = s.userUpdateSchema.omit(mask([...USERS_SERVER_ONLY, ...UPDATE_IMMUTABLE])).strict();
export const projectClientInsertSchema = s.projectInsertSchema.omit(mask(PROJECTS_SERVER_ONLY)).strict();
export const projectClientUpdateSchema = s.projectUpdateSchema.omit(mask([...PROJECTS_SERVER_ONLY, ...UPDATE_IMMUTABLE])).strict();
export const sceneClientInsertSchema = s.sceneInsertSchema.omit(mask(SCENES_SERVER_ONLY)).strict();
export const sceneClientUpdateSchema = s.sceneUpdateSchema.omit(mask([...SCENES_SERVER_ONLY, ...UPDATE_IMMUTABLE])).strict();
export const characterClientInsertSchema = s.characterInsertSchema.omit(mask(CHARACTERS_SERVER_ONLY)).strict();
export const characterClientUpdateSchema = s.characterUpdateSchema.omit(mask([...CHARACTERS_SERVER_ONLY, ...UPDATE_IMMUTABLE])).strict();
export const sceneVersionClientInsertSchema = s.sceneVersionInsertSchema.omit(mask(SCENE_VERSIONS_SERVER_ONLY)).strict();
export const sceneVersionClientUpdateSchema = s.sceneVersionUpdateSchema
  .omit(mask([...SCENE_VERSIONS_SERVER_ONLY, ...UPDATE_IMMUTABLE]))
  .strict();
export const brainClientInsertSchema = s.brainInsertSchema.omit(mask(BRAINS_SERVER_ONLY)).strict();
export const brainClientUpdateSchema = s.brainUpdateSchema.omit(mask([...BRAINS_SERVER_ONLY, ...UPDATE_IMMUTABLE])).strict();
export const formatTemplateClientInsertSchema = s.formatTemplateInsertSchema.omit(mask(FORMAT_TEMPLATES_SERVER_ONLY)).strict();
export const formatTemplateClientUpdateSchema = s.formatTemplateUpdateSchema
  .omit(mask([...FORMAT_TEMPLATES_SERVER_ONLY, ...UPDATE_IMMUTABLE]))
  .strict();

/**
 * Every syncable table, keyed by SQL name, in FK order (parents first: apply inserts in this order,
 * deletes in reverse).
 *
 * @example syncedTables.scenes.clientUpdateSchema.safeParse(patch)
 */
export const syncedTables = {
  users: describe({
    table: users,
    scope: { kind: 'self', column: 'id' },
    serverOnly: USERS_SERVER_ONLY,
    clientInsertSchema: userClientInsertSchema,
    clientUpdateSchema: userClientUpdateSchema,
    selectSchema: s.userSelectSchema,
  }),
  format_templates: describe({
    table: formatTemplates,
    scope: { kind: 'owner-or-public', column: 'creator_id', publicColumn: 'is_public' },
    serverOnly: FORMAT_TEMPLATES_SERVER_ONLY,
    clientInsertSchema: formatTemplateClientInsertSchema,
    clientUpdateSchema: formatTemplateClientUpdateSchema,
    selectSchema: s.formatTemplateSelectSchema,
  }),
  brains: describe({
    table: brains,
    scope: { kind: 'owner-or-public', column: 'user_id', publicColumn: 'is_public' },
    serverOnly: BRAINS_SERVER_ONLY,
    clientInsertSchema: brainClientInsertSchema,
    clientUpdateSchema: brainClientUpdateSchema,
    selectSchema: s.brainSelectSchema,
  }),
  projects: describe({
    table: projects,
    scope: { kind: 'owner', column: 'user_id' },
    serverOnly: PROJECTS_SERVER_ONLY,
    clientInsertSchema: projectClientInsertSchema,
    clientUpdateSchema: projectClientUpdateSchema,
    selectSchema: s.projectSelectSchema,
  }),
  scenes: describe({
    table: scenes,
    scope: { kind: 'project', column: 'project_id' },
    serverOnly: SCENES_SERVER_ONLY,
    clientInsertSchema: sceneClientInsertSchema,
    clientUpdateSchema: sceneClientUpdateSchema,
    selectSchema: s.sceneSelectSchema,
  }),
  characters: describe({
    table: characters,
    scope: { kind: 'project', column: 'project_id' },
    serverOnly: CHARACTERS_SERVER_ONLY,
    clientInsertSchema: characterClientInsertSchema,
    clientUpdateSchema: characterClientUpdateSchema,
    selectSchema: s.characterSelectSchema,
  }),
  scene_versions: describe({
    table: sceneVersions,
    scope: { kind: 'project', column: 'project_id' },
    serverOnly: SCENE_VERSIONS_SERVER_ONLY,
    clientInsertSchema: sceneVersionClientInsertSchema,
    clientUpdateSchema: sceneVersionClientUpdateSchema,
    selectSchema: s.sceneVersionSelectSchema,
  }),
} as const satisfies Record<string, SyncedTable>;

export type SyncedTableName = keyof typeof syncedTables;
export const SYNCED_TABLE_NAMES = Object.keys(syncedTables) as SyncedTableName[];

export function isSyncedTableName(name: string): name is SyncedTableName {
  return Object.hasOwn(syncedTables, name);
}
