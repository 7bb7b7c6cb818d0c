import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type postgres from 'postgres';
import type { Registry } from 'prom-client';
import { requireAuth, type AuthVariables } from '../auth/require-auth';
import { buildGenerationCache } from '../cache/build-generation-cache';
import { createCacheMetrics } from '../cache/cache-metrics';
import type { ServerClock } from '../clock/server-clock';
import { ApiError } from '../errors/api-error';
import { errorHandler } from '../http/on-error';
import { readBody } from '../http/require-json';
import { createLocalMediaStore } from '../media/local-media-store';
import { MEDIA_EXTENSIONS, type MediaStore } from '../media/media-store';
import type { Embedder } from '../vector/embedder';
import type { VectorStore } from '../vector/vector-store';
import { loadGenerationContext } from './generation-context';
import { creditsCharged, creditsFor } from './credits-charged';
import { generationRequestSchema, type GenerationRequestBody } from './generation-request-schema';
import { createCreditReservation } from './credit-reservation';
import { createGenerationRequests, type GenerationRequestClaim, type GenerationResponseBody } from './generation-requests';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, parseIdempotencyKey, requestFingerprint, RETRY_AFTER_HEADER } from './idempotency-key';
import { DEFAULT_ORPHANED_HOLD_GRACE_MS } from './orphaned-holds';
import { recordGeneration } from './record-generation';
import { createSimulatedProvider } from './simulated-provider';
import type { VideoProvider } from './video-provider';

export interface GenerationRoutesDeps {
  sql: postgres.Sql;
  redis: Redis;
  logger: Logger;
  registry: Registry;
  /** Server HLC shared with the mutation API (scene updates go through the same LWW path). */
  clock: ServerClock;
  jwtSecret: string;
  /** Local media root (used when `media` is not given). */
  mediaDir: string;
  media?: MediaStore;
  vectorStore?: VectorStore;
  embedder?: Embedder;
  /** By `model_provider`; default: the simulated provider only (see providersFromEnv). */
  providers?: ReadonlyMap<string, VideoProvider>;
  now?: () => number;
  /**
   * A pending Idempotency-Key older than this belongs to a request that died and is taken over by its
   * retry. Like the orphaned-hold grace (the default, and what the server passes): longer than any request runs.
   */
  idempotencyStaleMs?: number;
  redisKeyPrefix?: string;
  l2Threshold?: number;
}

export interface GenerationRoutes {
  app: Hono<{ Variables: AuthVariables }>;
  /** Waits for in-flight L4 pre-generations (call on shutdown). */
  drain(): Promise<void>;
}

/**
 * POST /v1/generations (auth) and GET /v1/media/:file (content-addressed, public: the URL is the
 * sha256 of the bytes, unguessable and immutable, so `<video src>` works without a header).
 *
 * POST /v1/generations takes an optional `Idempotency-Key` header (1–255 printable ASCII, per user; 400
 * `invalid_idempotency_key` otherwise) so a client that lost the response can retry safely: a retry of a
 * completed request gets the stored 200 body with `Idempotent-Replayed: true` (nothing served, recorded or
 * charged again); the key with another body is 422 `idempotency_key_reused`; while the first is still
 * running, 409 `idempotency_request_in_progress` with `Retry-After`; a request that failed frees its key.
 * Keys are kept 24 h after completion (STORYFORGE_IDEMPOTENCY_RETENTION_HOURS, pruned by the server).
 *
 * @example
 *   const gen = createGenerationRoutes({ sql, redis, logger, registry, clock, jwtSecret, mediaDir: './.data/media' });
 *   app.route('/', gen.app);
 */
export function createGenerationRoutes(deps: GenerationRoutesDeps): GenerationRoutes {
  const now = deps.now ?? (() => Date.now());
  const media = deps.media ?? createLocalMediaStore({ dir: deps.mediaDir });
  const providers = deps.providers ?? new Map([['simulated', createSimulatedProvider()]]);
  const pending = new Set<Promise<void>>();
  const requests = createGenerationRequests({ sql: deps.sql, logger: deps.logger, now, staleMs: deps.idempotencyStaleMs ?? DEFAULT_ORPHANED_HOLD_GRACE_MS });
  const cache = buildGenerationCache({
    sql: deps.sql,
    redis: deps.redis,
    media,
    providers,
    now,
    keyPrefix: deps.redisKeyPrefix ?? 'sf:cache:',
    registry: deps.registry,
    ...(deps.vectorStore === undefined ? {} : { vectorStore: deps.vectorStore }),
    ...(deps.embedder === undefined ? {} : { embedder: deps.embedder }),
    ...(deps.l2Threshold === undefined ? {} : { l2Threshold: deps.l2Threshold }),
    schedule: (task) => {
      const p = task().catch((err: unknown) => deps.logger.error({ err }, 'L4 pre-generation failed'));
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
  });

  const app = new Hono<{ Variables: AuthVariables }>();
  app.onError(errorHandler(deps.logger));

  app.get('/v1/media/:file', async (c) => {
    const [sha256 = '', ext = ''] = c.req.param('file').split('.');
    const bytes = await media.get(sha256);
    if (bytes === null) throw new ApiError('not_found', 'No such media', { file: c.req.param('file') });
    const type = Object.entries(MEDIA_EXTENSIONS).find(([, e]) => e === ext)?.[0] ?? 'application/octet-stream';
    return c.body(new Uint8Array(bytes), 200, { 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable', etag: `"${sha256}"` });
  });

  app.post('/v1/generations', requireAuth(deps.jwtSecret), async (c) => {
    const key = parseIdempotencyKey(c.req.header(IDEMPOTENCY_KEY_HEADER));
    const body = await readBody(c.req, generationRequestSchema, 'The body is not a valid generation request');
    const userId = c.get('userId');
    if (key === undefined) return c.json(await generate(userId, body, null));

    // Claimed before anything else looks at the request, so a replay answers what was sent even if the
    // scene or the provider configuration changed since.
    const outcome = await requests.claim({ userId, key, fingerprint: requestFingerprint(body) });
    switch (outcome.kind) {
      case 'replay':
        return c.json(outcome.response, 200, { [IDEMPOTENT_REPLAYED_HEADER]: 'true' });
      case 'reused':
        throw new ApiError('idempotency_key_reused', 'This Idempotency-Key was already used for a different request; use a new key for a new request', { idempotencyKey: key });
      case 'in_progress':
        c.header(RETRY_AFTER_HEADER, String(outcome.retryAfterSeconds));
        throw new ApiError('idempotency_request_in_progress', 'A request with this Idempotency-Key is still running; retry it later for its response', {
          idempotencyKey: key,
          retryAfterSeconds: outcome.retryAfterSeconds,
        });
      case 'claimed':
        try {
          return c.json(await generate(userId, body, outcome.claim));
        } catch (error) {
          // Any error response (402 included): the retry must be able to run.
          await requests.release(outcome.claim, error);
          throw error;
        }
    }
  });

  /** Serves, charges and records one generation; with a claim, completes its key in the recording transaction. */
  async function generate(userId: string, body: GenerationRequestBody, claim: GenerationRequestClaim | null): Promise<GenerationResponseBody> {
    const provider = providers.get(body.parameters.model_provider);
    if (provider === undefined) {
      throw new ApiError('unprocessable', `Provider ${body.parameters.model_provider} is not configured on this server`, { provider: body.parameters.model_provider });
    }
    const ctx = await loadGenerationContext({ sql: deps.sql, userId, projectId: body.projectId, sceneId: body.sceneId, brainId: body.brainId });
    // Credits are held before anything paid happens: the cache reserves when it is about to take a paid L4
    // prediction or render (L1/L2 hits are free, so a user with no credits still gets them). The hold is a
    // committed guarded debit, so of two concurrent misses with credits for one, the second is refused
    // before it renders and nothing of it reaches L1/L2 (its retry is not a free hit). Afterwards the hold
    // is settled to what the answer cost, or refunded if serving or recording fails.
    const versionId = randomUUID();
    const reservation = createCreditReservation({ sql: deps.sql, userId, referenceId: versionId, logger: deps.logger });
    const result = await cache
      .serve(
        { tenantId: userId, projectId: body.projectId, prompt: body.prompt, parameters: body.parameters, brainId: ctx.brainId, modelVersion: provider.modelVersion, characterNames: ctx.characterNames },
        {
          requestId: randomUUID(),
          reserve: (costUsd) => reservation.hold(creditsFor(costUsd)),
          ...(body.regenerate === true ? { regenerate: true } : {}),
          ...(ctx.beats === null
            ? {}
            : { predict: { beats: ctx.beats, beatIndex: ctx.sceneIndex, context: { characters: ctx.characterNames, ...(ctx.setting === undefined ? {} : { setting: ctx.setting }) } } }),
        },
      )
      .catch(async (error: unknown) => {
        await reservation.release(error);
        if (!(error instanceof ApiError) || error.code !== 'insufficient_credits') throw error;
        const required = creditsFor(Number(error.details.costUsd));
        const balance = reservation.balance ?? (await currentBalance(deps.sql, userId));
        throw new ApiError('insufficient_credits', `This generation costs ${required} credits, you have ${balance}`, { required, balance, layer: error.details.layer });
      });
    // Settled before recording, so the whole response (charge and balance included) is known inside the
    // recording transaction, where an Idempotency-Key stores it; a failed recording refunds what was charged.
    const { charged } = await reservation.settle(creditsCharged(result));
    const respond = (txid: number): GenerationResponseBody => ({
      layer: result.layer,
      versionId,
      videoUrl: result.video.videoUrl,
      thumbnailUrl: result.video.thumbnailUrl,
      costUsd: result.costUsd,
      creditsCharged: charged,
      creditsBalance: reservation.balance,
      latencyMs: Math.round(result.latencyMs),
      ...(result.similarity === undefined ? {} : { similarity: result.similarity }),
      txid,
    });
    const recorded = await recordGeneration({
      sql: deps.sql,
      clock: deps.clock,
      userId,
      body,
      result,
      versionId,
      ...(claim === null ? {} : { alsoInTransaction: (tx, r) => requests.complete(tx, { claim, versionId: r.versionId, response: respond(r.txid) }) }),
    }).catch(async (error: unknown) => {
      await reservation.release(error);
      throw error;
    });
    return respond(recorded.txid);
  }

  // "This is not what I asked for" on a served version: counts a known false hit for its layer, the
  // production counterpart of the benchmark's truth check (storyforge_cache_false_hits_total).
  const metrics = createCacheMetrics(deps.registry);
  app.post('/v1/generations/:versionId/wrong', requireAuth(deps.jwtSecret), async (c) => {
    const versionId = c.req.param('versionId');
    const [row] = await deps.sql<{ cache_layer: string | null; user_id: string }[]>`
      select v.cache_layer, p.user_id from scene_versions v join projects p on p.id = v.project_id where v.id = ${versionId}`;
    if (row === undefined || row.user_id !== c.get('userId')) throw new ApiError('not_found', 'No such version', { versionId });
    const layer = row.cache_layer ?? 'miss';
    if (layer === 'L1' || layer === 'L2' || layer === 'L4') metrics.falseHits.inc({ layer });
    return c.json({ versionId, layer, counted: layer === 'L1' || layer === 'L2' || layer === 'L4' });
  });

  return {
    app,
    async drain() {
      await Promise.all([...pending]);
    },
  };
}

async function currentBalance(sql: postgres.Sql, userId: string): Promise<number> {
  const [user] = await sql<{ credits_balance: number }[]>`select credits_balance from users where id = ${userId}`;
  return user?.credits_balance ?? 0;
}
