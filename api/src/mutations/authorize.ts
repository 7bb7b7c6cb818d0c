import { ApiError } from '../errors/api-error';
import type { TableSpec } from './syncable-tables';
import type { WriteContext } from './write-context';

/** Owner of a project, or a `parent_missing` rejection; cached per transaction. */
export async function projectOwner(ctx: WriteContext, projectId: string): Promise<string> {
  const cached = ctx.projectOwners.get(projectId);
  if (cached !== undefined) return cached;
  const [row] = await ctx.tx<{ user_id: string }[]>`select user_id from projects where id = ${projectId}`;
  if (!row) throw new ApiError('parent_missing', `Project ${projectId} does not exist`, { table: 'projects', id: projectId });
  ctx.projectOwners.set(projectId, row.user_id);
  return row.user_id;
}

async function requireOwnProject(ctx: WriteContext, projectId: unknown): Promise<void> {
  if (typeof projectId !== 'string') throw new ApiError('invalid_value', 'project_id is required', { field: 'project_id' });
  const owner = await projectOwner(ctx, projectId);
  if (owner !== ctx.userId) throw new ApiError('forbidden', `Project ${projectId} belongs to another user`, { projectId });
}

/**
 * May the caller write this row as it is (or as it will be, for a new row)? `row` holds at least the
 * scope column(s). Throws `forbidden` / `parent_missing`.
 */
export async function authorizeRow(ctx: WriteContext, spec: TableSpec, id: string, row: Record<string, unknown>): Promise<void> {
  const scope = spec.scope;
  switch (scope.kind) {
    case 'self':
      if (id !== ctx.userId) throw new ApiError('forbidden', 'Only your own user row can be changed', { table: spec.name, id });
      return;
    case 'owner':
      if (row[scope.column] !== ctx.userId) {
        throw new ApiError('forbidden', `This ${spec.name} row belongs to another user`, { table: spec.name, id });
      }
      return;
    case 'project':
      await requireOwnProject(ctx, row.project_id);
      return;
  }
}

/**
 * Checks references the FKs cannot judge: visibility of a referenced brain/template (own, public or
 * built-in), a scene version belonging to its scene and project. Runs for the fields being written.
 */
export async function checkReferences(ctx: WriteContext, spec: TableSpec, id: string, written: Record<string, unknown>, row: Record<string, unknown>): Promise<void> {
  const { tx } = ctx;
  if (spec.name === 'projects') {
    if (typeof written.brain_id === 'string') {
      const [b] = await tx<{ user_id: string; is_public: boolean }[]>`select user_id, is_public from brains where id = ${written.brain_id}`;
      if (!b) throw new ApiError('parent_missing', `Brain ${written.brain_id} does not exist`, { field: 'brain_id' });
      if (!b.is_public && b.user_id !== ctx.userId) throw new ApiError('forbidden', 'That brain is private to another user', { field: 'brain_id' });
    }
    if (typeof written.format_template_id === 'string') {
      const [t] = await tx<{ creator_id: string | null; is_public: boolean }[]>`
        select creator_id, is_public from format_templates where id = ${written.format_template_id}`;
      if (!t) throw new ApiError('parent_missing', `Format template ${written.format_template_id} does not exist`, { field: 'format_template_id' });
      if (t.creator_id !== null && !t.is_public && t.creator_id !== ctx.userId) {
        throw new ApiError('forbidden', 'That format template is private to another user', { field: 'format_template_id' });
      }
    }
  }
  if (spec.name === 'scenes' && typeof written.current_version_id === 'string') {
    // No FK here on purpose (see db schema); the pointer must name a version of this very scene.
    const [v] = await tx<{ scene_id: string }[]>`select scene_id from scene_versions where id = ${written.current_version_id}`;
    if (!v || v.scene_id !== id) {
      throw new ApiError('parent_missing', 'current_version_id must name an existing version of this scene', { field: 'current_version_id' });
    }
  }
  if (spec.name === 'scene_versions' && typeof written.scene_id === 'string') {
    const [s] = await tx<{ project_id: string }[]>`select project_id from scenes where id = ${written.scene_id}`;
    if (!s) throw new ApiError('parent_missing', `Scene ${written.scene_id} does not exist`, { field: 'scene_id' });
    if (s.project_id !== row.project_id) {
      throw new ApiError('invalid_value', 'scene_versions.project_id must equal its scene\'s project_id', { field: 'project_id' });
    }
  }
}
