import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Everything the single-port server needs; `readServerConfig` fills it from the environment. */
export interface ServerConfig {
  databaseUrl: string;
  redisUrl: string;
  host: string;
  port: number;
  /** Durable local state: shape logs, media, the dev JWT secret. */
  dataDir: string;
  /** Dev mode: dev login issues tokens; sync serves any table without auth. Never in production. */
  devMode: boolean;
  jwtSecret: string;
  /** When set, the server takes a pg_dump here once a day (7 daily + 4 weekly kept). */
  backupDir: string | undefined;
  /** How old a credit hold without a recorded version must be before it is refunded (default 1 hour). */
  orphanedHoldGraceMs?: number;
  /** How long a completed generation's Idempotency-Key is replayable before it is pruned (default 24 hours). */
  idempotencyRetentionMs?: number;
}

export interface ReadServerConfigOptions {
  databaseUrl: string;
  redisUrl: string;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Environment variables (all optional): STORYFORGE_HOST (127.0.0.1), STORYFORGE_PORT (3000),
 * STORYFORGE_DEV_MODE (true unless "false"), STORYFORGE_JWT_SECRET (dev: a random secret kept in
 * <dataDir>/jwt-secret so tokens survive restarts; required when dev mode is off), STORYFORGE_BACKUP_DIR,
 * STORYFORGE_ORPHANED_HOLD_GRACE_MINUTES (60), STORYFORGE_IDEMPOTENCY_RETENTION_HOURS (24).
 */
export function readServerConfig({ databaseUrl, redisUrl, dataDir, env = process.env }: ReadServerConfigOptions): ServerConfig {
  const devMode = env.STORYFORGE_DEV_MODE !== 'false';
  let jwtSecret = env.STORYFORGE_JWT_SECRET;
  if (jwtSecret === undefined || jwtSecret === '') {
    if (!devMode) throw new Error('STORYFORGE_JWT_SECRET must be set when STORYFORGE_DEV_MODE=false');
    jwtSecret = devJwtSecret(dataDir);
  }
  const port = Number(env.STORYFORGE_PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`STORYFORGE_PORT=${env.STORYFORGE_PORT} is not a port`);
  const grace = env.STORYFORGE_ORPHANED_HOLD_GRACE_MINUTES;
  const graceMinutes = grace === undefined || grace === '' ? undefined : Number(grace);
  // Shorter than the longest request would refund holds of generations still running (then recorded).
  if (graceMinutes !== undefined && !(Number.isFinite(graceMinutes) && graceMinutes >= 15)) {
    throw new Error(`STORYFORGE_ORPHANED_HOLD_GRACE_MINUTES=${grace} must be a number of minutes >= 15 (longer than any generation request)`);
  }
  const retention = env.STORYFORGE_IDEMPOTENCY_RETENTION_HOURS;
  const retentionHours = retention === undefined || retention === '' ? undefined : Number(retention);
  // A client retrying a lost response does so within minutes; under an hour would forget keys of requests
  // that may still be retried (and the retry then renders and charges again).
  if (retentionHours !== undefined && !(Number.isFinite(retentionHours) && retentionHours >= 1)) {
    throw new Error(`STORYFORGE_IDEMPOTENCY_RETENTION_HOURS=${retention} must be a number of hours >= 1`);
  }
  return {
    databaseUrl,
    redisUrl,
    host: env.STORYFORGE_HOST ?? '127.0.0.1',
    port,
    dataDir,
    devMode,
    jwtSecret,
    backupDir: env.STORYFORGE_BACKUP_DIR || undefined,
    ...(graceMinutes === undefined ? {} : { orphanedHoldGraceMs: graceMinutes * 60_000 }),
    ...(retentionHours === undefined ? {} : { idempotencyRetentionMs: retentionHours * 3_600_000 }),
  };
}

function devJwtSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
