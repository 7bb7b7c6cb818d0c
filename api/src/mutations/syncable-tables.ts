import {
  brainInsertSchema,
  brains,
  characterInsertSchema,
  characters,
  formatTemplateInsertSchema,
  formatTemplates,
  projectInsertSchema,
  projects,
  sceneInsertSchema,
  scenes,
  sceneVersionInsertSchema,
  sceneVersions,
  syncedTables,
  userInsertSchema,
  users,
} from '@storyforge/db';
import { getTableColumns, getTableName, type Table } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { z } from 'zod';

/** The tables clients may write through POST /v1/mutations (the synced set). */
export const SYNCABLE_TABLES = ['users', 'projects', 'scenes', 'characters', 'scene_versions', 'brains', 'format_templates'] as const;
export type SyncableTableName = (typeof SYNCABLE_TABLES)[number];

/**
 * Who may write a row:
 * - `self`: the users row whose id is the caller (no inserts or deletes through mutations);
 * - `owner`: the row's `column` must equal the caller (projects.user_id, brains.user_id,
 *   format_templates.creator_id);
 * - `project`: the row's project_id must name a project the caller owns.
 */
export type Scope = { kind: 'self' } | { kind: 'owner'; column: string } | { kind: 'project' };

export interface ColumnSpec {
  /** SQL name: what clients send and what the shape stream carries. */
  name: string;
  /** Drizzle's TS key (what the drizzle-zod schema is keyed by). */
  key: string;
  column: PgColumn;
  /** Validator for one value of this column, from db's drizzle-zod insert schema. */
  schema: z.ZodType;
  kind: 'vector' | 'json' | 'plain';
}

export interface TableSpec {
  name: SyncableTableName;
  table: Table;
  /** Every column by SQL name. */
  columns: ReadonlyMap<string, ColumnSpec>;
  /** Whole-row insert validator (keyed by TS keys) for checking required columns on a new row. */
  insertSchema: z.ZodObject;
  /** Columns only the server writes (db's syncedTables: results, costs, credits, timestamps, clocks). */
  serverOnly: ReadonlySet<string>;
  /** Columns nobody writes through mutations, not even server-side writes: the row's identity and bookkeeping. */
  serverMaintained: ReadonlySet<string>;
  /** Columns a client may set on insert but never change afterwards. */
  immutable: ReadonlySet<string>;
  scope: Scope;
}

// Every syncable table: the server sets these (common brief, "Shared decisions").
const SERVER_MAINTAINED = ['id', 'created_at', 'updated_at', 'field_clocks'];

function spec(
  name: SyncableTableName,
  table: Table,
  insertSchema: z.ZodObject,
  scope: Scope,
  extra: { immutable?: string[] } = {},
): TableSpec {
  if (getTableName(table) !== name) throw new Error(`table spec ${name} points at ${getTableName(table)}`);
  const columns = new Map<string, ColumnSpec>();
  for (const [key, column] of Object.entries(getTableColumns(table)) as [string, PgColumn][]) {
    const schema = insertSchema.shape[key] as z.ZodType | undefined;
    if (!schema) throw new Error(`no validator for ${name}.${column.name}`);
    const kind = column.columnType === 'PgVector' ? 'vector' : column.columnType === 'PgJsonb' || column.columnType === 'PgJson' ? 'json' : 'plain';
    columns.set(column.name, { name: column.name, key, column, schema, kind });
  }
  const serverOnly = syncedTables[name].serverOnlyColumns;
  for (const c of [...SERVER_MAINTAINED, ...serverOnly, ...(extra.immutable ?? [])]) {
    if (!columns.has(c)) throw new Error(`table spec ${name} names unknown column ${c}`);
  }
  return {
    name,
    table,
    columns,
    insertSchema,
    serverOnly: new Set([...SERVER_MAINTAINED, ...serverOnly]),
    serverMaintained: new Set(SERVER_MAINTAINED),
    immutable: new Set(extra.immutable ?? []),
    scope,
  };
}

/** Built once at module load; each entry is derived from the Drizzle table (nothing redeclared). */
export const TABLE_SPECS: ReadonlyMap<string, TableSpec> = new Map(
  [
    spec('users', users, userInsertSchema, { kind: 'self' }),
    spec('projects', projects, projectInsertSchema, { kind: 'owner', column: 'user_id' }, { immutable: ['user_id'] }),
    spec('scenes', scenes, sceneInsertSchema, { kind: 'project' }),
    spec('characters', characters, characterInsertSchema, { kind: 'project' }),
    spec('scene_versions', sceneVersions, sceneVersionInsertSchema, { kind: 'project' }, { immutable: ['scene_id', 'project_id'] }),
    spec('brains', brains, brainInsertSchema, { kind: 'owner', column: 'user_id' }, { immutable: ['user_id'] }),
    spec('format_templates', formatTemplates, formatTemplateInsertSchema, { kind: 'owner', column: 'creator_id' }, { immutable: ['creator_id'] }),
  ].map((s) => [s.name, s]),
);

/** Column names of a table in declaration order, for explicit select/returning lists (no `select *`). */
export function columnNames(spec: TableSpec): string[] {
  return [...spec.columns.keys()];
}
