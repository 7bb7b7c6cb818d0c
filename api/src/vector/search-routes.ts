import { BRAIN_STYLE_DIMENSIONS, FACE_EMBEDDING_DIMENSIONS } from '@storyforge/db';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import type postgres from 'postgres';
import { requireAuth, type AuthVariables } from '../auth/require-auth';
import { ApiError } from '../errors/api-error';
import { errorHandler } from '../http/on-error';
import { readBody } from '../http/require-json';
import { brainSearchSchema, characterSearchSchema, consistencySchema } from './search-schemas';
import { withTransaction } from '../mutations/with-transaction';
import { checkVector, cosineSimilarity, fromPgVector, similarityFromPgDistance, toPgVector } from './similarity';

export interface SearchRoutesDeps {
  sql: postgres.Sql;
  logger: Logger;
  jwtSecret: string;
  /** HNSW candidate list for the brain marketplace search (global index with a visibility filter). */
  efSearch?: number;
}

function vectorOrThrow(values: number[], dims: number): string {
  const problem = checkVector(values, dims);
  if (problem !== null) throw new ApiError('invalid_vector', `Invalid vector: ${problem}`, { dimensions: dims });
  return toPgVector(values);
}

/**
 * Vector search for continuity checks and the brain marketplace:
 * POST /v1/search/characters, POST /v1/search/characters/:id/consistency, POST /v1/search/brains.
 * Similarity is cosine similarity (1 = identical), converted from pgvector's distance in one place.
 */
export function createSearchRoutes(deps: SearchRoutesDeps) {
  const { sql } = deps;
  const ef = deps.efSearch ?? 100;
  const app = new Hono<{ Variables: AuthVariables }>();
  app.onError(errorHandler(deps.logger));
  app.use('/v1/search/*', requireAuth(deps.jwtSecret));

  async function ownProject(userId: string, projectId: string): Promise<void> {
    const [p] = await sql<{ user_id: string }[]>`select user_id from projects where id = ${projectId}`;
    if (p === undefined) throw new ApiError('not_found', `Project ${projectId} does not exist`, { projectId });
    if (p.user_id !== userId) throw new ApiError('forbidden', 'Not your project', { projectId });
  }

  // LIMIT is inlined (k is a validated int 1..100): a bound LIMIT makes the planner skip the HNSW index.
  // withTransaction, not sql.begin: postgres.js 3.4.9 crashes the process if the backend dies inside begin().
  async function annQuery<T extends object>(text: string, params: postgres.ParameterOrJSON<never>[]): Promise<T[]> {
    return withTransaction(sql, async (tx) => {
      await tx.unsafe(`set local hnsw.ef_search = ${ef}`);
      // Filters (visibility) would otherwise make HNSW under-return; pgvector ≥ 0.8.
      await tx.unsafe('set local hnsw.iterative_scan = relaxed_order');
      return tx.unsafe<T[]>(text, params);
    });
  }

  /**
   * Nearest characters of ONE project, ranked exactly. A project holds tens to a few thousand faces: the
   * project_id index finds them and ranking them all costs a few ms, while the global HNSW graph filtered
   * down to one project loses recall (0.91 at 100k faces in the api bench). The distance is computed in a
   * MATERIALIZED CTE so the planner cannot order through the HNSW index; only (id, name, distance) are
   * materialized, not the 2 KB vectors.
   */
  function nearestInProject<T extends object>(vec: string, projectId: string, excludeId: string | null, k: number): Promise<T[]> {
    return sql.unsafe<T[]>(
      `with candidates as materialized (
         select id, name, face_embedding <=> $1::vector as distance from characters
          where project_id = $2 and face_embedding is not null and id is distinct from $3::uuid)
       select id, name, distance from candidates order by distance limit ${k}`,
      [vec, projectId, excludeId],
    );
  }

  app.post('/v1/search/characters', async (c) => {
    const body = await readBody(c.req, characterSearchSchema, 'Invalid search request');
    await ownProject(c.get('userId'), body.projectId);
    let vec: string;
    if (body.characterId !== undefined) {
      const [ch] = await sql<{ project_id: string; face: string | null }[]>`select project_id, face_embedding::text as face from characters where id = ${body.characterId}`;
      if (ch === undefined || ch.project_id !== body.projectId) throw new ApiError('not_found', 'No such character in this project', { characterId: body.characterId });
      if (ch.face === null) throw new ApiError('unprocessable', 'That character has no face embedding yet', { characterId: body.characterId });
      vec = ch.face;
    } else {
      vec = vectorOrThrow(body.vector ?? [], FACE_EMBEDDING_DIMENSIONS);
    }
    const rows = await nearestInProject<{ id: string; name: string; distance: number }>(vec, body.projectId, body.characterId ?? null, body.k);
    const results = rows
      .map((r) => ({ id: r.id, name: r.name, similarity: similarityFromPgDistance(Number(r.distance)) }))
      .sort((a, b) => b.similarity - a.similarity)
      .filter((r) => body.minSimilarity === undefined || r.similarity >= body.minSimilarity);
    return c.json({ results });
  });

  app.post('/v1/search/characters/:id/consistency', async (c) => {
    const body = await readBody(c.req, consistencySchema, 'Invalid search request');
    const id = c.req.param('id');
    const vec = vectorOrThrow(body.vector, FACE_EMBEDDING_DIMENSIONS);
    const [ch] = await sql<{ project_id: string; face: string | null }[]>`select project_id, face_embedding::text as face from characters where id = ${id}`;
    if (ch === undefined) throw new ApiError('not_found', 'No such character', { characterId: id });
    await ownProject(c.get('userId'), ch.project_id);
    if (ch.face === null) throw new ApiError('unprocessable', 'That character has no face embedding yet', { characterId: id });
    const score = cosineSimilarity(fromPgVector(ch.face), body.vector);
    const [nearest] = await nearestInProject<{ id: string; name: string; distance: number }>(vec, ch.project_id, id, 1);
    const nearestOther = nearest === undefined ? null : { id: nearest.id, name: nearest.name, similarity: similarityFromPgDistance(Number(nearest.distance)) };
    // Consistent = close enough to this character AND closer to it than to anyone else in the project.
    const consistent = score >= body.threshold && (nearestOther === null || score >= nearestOther.similarity);
    return c.json({ characterId: id, score, threshold: body.threshold, consistent, nearestOther });
  });

  app.post('/v1/search/brains', async (c) => {
    const body = await readBody(c.req, brainSearchSchema, 'Invalid search request');
    const userId = c.get('userId');
    let vec: string;
    if (body.brainId !== undefined) {
      const [b] = await sql<{ user_id: string; is_public: boolean; style: string | null }[]>`select user_id, is_public, style_vector::text as style from brains where id = ${body.brainId}`;
      if (b === undefined || (b.user_id !== userId && !b.is_public)) throw new ApiError('not_found', 'No such brain', { brainId: body.brainId });
      if (b.style === null) throw new ApiError('unprocessable', 'That brain has no style vector', { brainId: body.brainId });
      vec = b.style;
    } else {
      vec = vectorOrThrow(body.vector ?? [], BRAIN_STYLE_DIMENSIONS);
    }
    const scope = body.filter.scope;
    // Every branch mentions $2 so the parameter always has a type.
    const visibility = scope === 'public' ? '(is_public and $2::uuid is not null)' : scope === 'mine' ? 'user_id = $2' : '(is_public or user_id = $2)';
    const rows = await annQuery<{ id: string; name: string; user_id: string; is_public: boolean; price_credits: number; distance: number }>(
      `select id, name, user_id, is_public, price_credits, style_vector <=> $1::vector as distance from brains
        where style_vector is not null and ${visibility} and id is distinct from $3::uuid
          and ($4::int is null or price_credits <= $4::int)
        order by style_vector <=> $1::vector limit ${body.k}`,
      [vec, userId, body.brainId ?? null, body.filter.maxPriceCredits ?? null],
    );
    const results = rows
      .map((r) => ({ id: r.id, name: r.name, userId: r.user_id, isPublic: r.is_public, priceCredits: r.price_credits, similarity: similarityFromPgDistance(Number(r.distance)) }))
      .sort((a, b) => b.similarity - a.similarity);
    return c.json({ results });
  });

  return app;
}
