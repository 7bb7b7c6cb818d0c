// The generation routes on the test harness (real Postgres, the tests' Redis, a media dir of their own),
// with the providers a test file needs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testKeyPrefix, testRedisUrl } from '@storyforge/db/testing';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { ServerClock } from '../clock/server-clock';
import { createGenerationRoutes, type GenerationRoutes, type GenerationRoutesDeps } from '../generation/generation-routes';
import { createHarness, TEST_JWT_SECRET, type Harness } from './api-harness';

export interface GenerationTestRoutes {
  h: Harness;
  gen: GenerationRoutes;
  close(): Promise<void>;
}

export async function startGenerationTestRoutes(options: Pick<GenerationRoutesDeps, 'providers'> & Partial<Pick<GenerationRoutesDeps, 'idempotencyStaleMs'>> & { startingCredits: number }): Promise<GenerationTestRoutes> {
  const h = await createHarness({ startingCredits: options.startingCredits });
  const redis = new Redis(testRedisUrl());
  const dir = await mkdtemp(join(tmpdir(), 'sf-gen-'));
  const gen = createGenerationRoutes({
    sql: h.db.sql,
    redis,
    logger: pino({ level: 'silent' }),
    registry: h.registry,
    clock: new ServerClock({ nodeId: 'gen-test', now: () => Date.now() }),
    jwtSecret: TEST_JWT_SECRET,
    mediaDir: dir,
    redisKeyPrefix: testKeyPrefix(),
    ...(options.providers === undefined ? {} : { providers: options.providers }),
    ...(options.idempotencyStaleMs === undefined ? {} : { idempotencyStaleMs: options.idempotencyStaleMs }),
  });
  return {
    h,
    gen,
    async close() {
      await gen.drain();
      redis.disconnect();
      await rm(dir, { recursive: true, force: true });
      await h.close();
    },
  };
}
