import type postgres from 'postgres';
import type { BeatLike } from '../cache/predict-next-prompts';
import { ApiError } from '../errors/api-error';

export interface GenerationContext {
  characterNames: string[];
  brainId: string | null;
  beats: BeatLike[] | null;
  /** Index of the scene among the project's scenes (position order) = its beat. */
  sceneIndex: number;
  setting: string | undefined;
}

export interface LoadContextOptions {
  sql: postgres.Sql;
  userId: string;
  projectId: string;
  sceneId: string;
  /** Explicit brain from the request; undefined → the project's brain. */
  brainId: string | null | undefined;
}

/**
 * Checks the caller may generate into this scene (own project, scene in it, brain visible) and reads
 * what the cache needs: character names (salient tokens), the template beats and the scene's index (L4).
 */
export async function loadGenerationContext({ sql, userId, projectId, sceneId, brainId }: LoadContextOptions): Promise<GenerationContext> {
  const [project] = await sql<{ user_id: string; brain_id: string | null; beats: BeatLike[] | null; settings: Record<string, unknown> }[]>`
    select p.user_id, p.brain_id, t.beats, p.settings
      from projects p left join format_templates t on t.id = p.format_template_id
     where p.id = ${projectId}`;
  if (project === undefined) throw new ApiError('not_found', `Project ${projectId} does not exist`, { projectId });
  if (project.user_id !== userId) throw new ApiError('forbidden', 'Not your project', { projectId });
  const [scene] = await sql<{ project_id: string; index: string }[]>`
    select s.project_id,
           (select count(*) from scenes o where o.project_id = s.project_id and (o.position, o.id) < (s.position, s.id)) as index
      from scenes s where s.id = ${sceneId}`;
  if (scene === undefined) throw new ApiError('not_found', `Scene ${sceneId} does not exist`, { sceneId });
  if (scene.project_id !== projectId) throw new ApiError('forbidden', 'The scene is not in this project', { sceneId, projectId });
  const brain = brainId === undefined ? project.brain_id : brainId;
  if (brain !== null) {
    const [row] = await sql<{ user_id: string; is_public: boolean }[]>`select user_id, is_public from brains where id = ${brain}`;
    if (row === undefined) throw new ApiError('not_found', `Brain ${brain} does not exist`, { brainId: brain });
    if (row.user_id !== userId && !row.is_public) throw new ApiError('forbidden', 'That brain is private', { brainId: brain });
  }
  const chars = await sql<{ name: string }[]>`select name from characters where project_id = ${projectId} order by created_at, id`;
  const setting = typeof project.settings.setting === 'string' ? project.settings.setting : undefined;
  return { characterNames: chars.map((c) => c.name), brainId: brain, beats: project.beats, sceneIndex: Number(scene.index), setting };
}
