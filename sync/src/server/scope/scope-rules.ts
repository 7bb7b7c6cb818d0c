import type { SyncScope } from '@storyforge/db';
import { quoteIdent } from '../where/render-where-sql';
import type { WhereEquality } from '../where/where-equalities';
import type { SqlFragment } from '../where/sql-fragment';
import type { ProjectOwners } from './project-owners';

/** A row as Postgres text output. */
export type ScopeRow = Readonly<Record<string, string | null | undefined>>;

/** What one user may see of one table: the live predicate and the equivalent snapshot SQL. */
export interface UserScope extends SqlFragment {
  matches(row: ScopeRow): boolean;
  /** Routing keys (`column = value` every visible row satisfies), as the where compiler produces them. */
  equalities: ReadonlyArray<WhereEquality>;
  /** Columns `matches` reads (a schema change to one of them rotates the shapes it scopes). */
  referencedColumns: ReadonlySet<string>;
}

export interface ScopeRuleContext {
  /** Canonical lower-case uuid of the caller. */
  userId: string;
  owners: ProjectOwners;
  /** `"public"."projects"`: where the snapshot SQL looks up the caller's projects. */
  projectsTable: string;
  /** Quoted owner column of projects (`"user_id"`). */
  projectOwnerColumn: string;
}

/**
 * Builds the caller's scope for one table from the schema engineer's SyncScope metadata (DESIGN.md):
 * - self (users): only the caller's own row;
 * - owner (projects): rows the caller owns;
 * - project (scenes, characters, scene_versions): rows whose project the caller owns — SQL through a
 *   sub-select on projects, live through the project→owner map;
 * - owner-or-public (brains, format_templates): own rows, public (marketplace) rows, and rows without an
 *   owner (built-ins).
 * The user id is bound as a parameter (`$1::text::uuid`), never spliced into SQL.
 */
export function scopeRule(scope: SyncScope, ctx: ScopeRuleContext): UserScope {
  const { userId } = ctx;
  const col = quoteIdent(scope.column);
  const fragment = (render: (p: string) => string) => ({
    sql: render('$1::text::"uuid"'),
    sqlParams: [userId],
    sqlAt: (first: number) => render(`$${first}::text::"uuid"`),
  });
  switch (scope.kind) {
    case 'self':
    case 'owner':
      return {
        ...fragment((p) => `${col} = ${p}`),
        matches: (row) => row[scope.column] === userId,
        equalities: [{ column: scope.column, value: userId }],
        referencedColumns: new Set([scope.column]),
      };
    case 'project':
      return {
        ...fragment((p) => `${col} IN (SELECT "id" FROM ${ctx.projectsTable} WHERE ${ctx.projectOwnerColumn} = ${p})`),
        matches: (row) => ctx.owners.ownerOf(row[scope.column]) === userId,
        equalities: [],
        referencedColumns: new Set([scope.column]),
      };
    case 'owner-or-public': {
      const pub = quoteIdent(scope.publicColumn);
      return {
        ...fragment((p) => `(${col} = ${p} OR ${pub} OR ${col} IS NULL)`),
        matches: (row) => {
          const owner = row[scope.column];
          return owner === userId || owner == null || row[scope.publicColumn] === 't';
        },
        equalities: [],
        referencedColumns: new Set([scope.column, scope.publicColumn]),
      };
    }
  }
}

/** Matches nothing: for a caller id that is not a uuid (no row can belong to it). */
export const NOTHING: UserScope = { sql: 'FALSE', sqlParams: [], sqlAt: () => 'FALSE', matches: () => false, equalities: [], referencedColumns: new Set() };
