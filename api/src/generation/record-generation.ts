import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import type { ServeResult } from '../cache/generation-cache';
import type { ServerClock } from '../clock/server-clock';
import { ApiError, API_ERROR_STATUS, type ApiErrorCode } from '../errors/api-error';
import { debitCredits } from '../ledger/credits';
import { applyMutations } from '../mutations/apply-mutations';
import { withTransaction } from '../mutations/with-transaction';
import type { GenerationRequestBody } from './generation-request-schema';

export interface RecordGenerationOptions {
  sql: postgres.Sql;
  clock: ServerClock;
  userId: string;
  body: GenerationRequestBody;
  result: ServeResult;
  credits: number;
  newId?: () => string;
}

/**
 * One transaction: a scene_versions row and the scene's pointer/status go through the same LWW
 * mutation path as client writes (so they sync to every device), and the credits are debited in the
 * ledger. Any failure (e.g. 402 after a concurrent spend) rolls all of it back.
 */
export async function recordGeneration({ sql, clock, userId, body, result, credits, newId = randomUUID }: RecordGenerationOptions): Promise<{ versionId: string; txid: number; balance: number | null }> {
  const versionId = newId();
  return withTransaction(sql, async (tx) => {
    const [next] = await tx<{ n: number }[]>`select coalesce(max(version_number), 0) + 1 as n from scene_versions where scene_id = ${body.sceneId}`;
    const { txid, results } = await applyMutations({
      tx,
      userId,
      clientId: 'server',
      writer: 'server',
      clock,
      mutations: [
        {
          mutationId: newId(),
          table: 'scene_versions',
          op: 'insert',
          id: versionId,
          hlc: clock.tick(),
          fields: {
            scene_id: body.sceneId,
            project_id: body.projectId,
            version_number: next?.n ?? 1,
            prompt: body.prompt,
            parameters: body.parameters,
            video_url: result.video.videoUrl,
            thumbnail_url: result.video.thumbnailUrl,
            cache_layer: result.layer,
            cost_usd: result.costUsd.toFixed(4),
            generation_ms: Math.round(result.video.generationMs),
          },
        },
        {
          mutationId: newId(),
          table: 'scenes',
          op: 'update',
          id: body.sceneId,
          hlc: clock.tick(),
          fields: { current_version_id: versionId, status: 'ready', prompt: body.prompt, parameters: body.parameters },
        },
      ],
    });
    for (const r of results) {
      if (r.status === 'rejected') {
        const code = (r.error.code in API_ERROR_STATUS ? r.error.code : 'unprocessable') as ApiErrorCode;
        throw new ApiError(code, `Recording the generation failed: ${r.error.message}`, r.error.details);
      }
    }
    const balance = credits > 0 ? (await debitCredits({ tx, userId, amount: credits, reason: 'generation', referenceId: versionId })).balance : null;
    return { versionId, txid, balance };
  });
}
