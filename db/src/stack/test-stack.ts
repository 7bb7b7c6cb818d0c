import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { startPostgresCluster, type RunningPostgres } from './postgres-cluster';
import { startRedisServer, type RunningRedis } from './redis-server';
import { reapStaleTestStacks, TEST_STACK_PREFIX, writeStackOwner } from './reap-test-stacks';

export interface TestStack {
  postgres: RunningPostgres;
  redis: RunningRedis;
  stop(): Promise<void>;
}

export interface TestStackOptions {
  /** Postgres settings over the defaults, for a test that needs its own cluster configured differently. */
  postgresSettings?: Readonly<Record<string, string>>;
}

/** A throwaway Postgres cluster and Redis on free ports in a temp dir, removed by stop(). */
export async function startTestStack(log: (line: string) => void = () => {}, options: TestStackOptions = {}): Promise<TestStack> {
  const reaped = await reapStaleTestStacks();
  if (reaped > 0) log(`removed ${reaped} stale test stack(s) left by killed runs`);
  const root = mkdtempSync(join(tmpdir(), TEST_STACK_PREFIX));
  // mkdtemp makes it 0700; the cluster inside runs as the postgres user, which must reach it.
  chmodSync(root, 0o755);
  const postgres = await startPostgresCluster({
    dataDir: join(root, 'pg'),
    port: await freePort(),
    durable: false,
    log,
    ...(options.postgresSettings === undefined ? {} : { settings: options.postgresSettings }),
  });
  const redis = await startRedisServer({ port: await freePort(), dir: join(root, 'redis'), persist: false });
  writeStackOwner(root, { ownerPid: process.pid, redisPid: redis.pid });
  return {
    postgres,
    redis,
    async stop() {
      await Promise.allSettled([postgres.stop(), redis.stop()]);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
