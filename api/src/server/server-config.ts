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
  /** Text → vector for L2 (default the local hashing embedder). */
  embedder?: EmbedderConfig;
  /** Where L2 entries live (default pgvector in this database). */
  vectorStore?: VectorStoreConfig;
}

export const EMBEDDER_KINDS = ['hashing', 'openai'] as const;
export const VECTOR_STORE_KINDS = ['pgvector', 'pinecone'] as const;

export type EmbedderConfig =
  | { kind: 'hashing' }
  /** `model` and `baseURL` absent → the embedder's defaults (text-embedding-3-small, api.openai.com). */
  | { kind: 'openai'; apiKey: string; model?: string; baseURL?: string };

export type VectorStoreConfig =
  | { kind: 'pgvector' }
  /** The data-plane host when known (no control-plane call), else the index name the client resolves. */
  | { kind: 'pinecone'; apiKey: string; index: { host: string } | { name: string } };

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
 *
 * L2 semantic cache adapters (an empty value counts as unset; an unknown value or a missing required
 * variable is an error naming it):
 * - STORYFORGE_EMBEDDER = `hashing` (default, local) | `openai`: needs OPENAI_API_KEY; optional
 *   OPENAI_BASE_URL (an OpenAI-compatible endpoint, default https://api.openai.com/v1) and
 *   STORYFORGE_OPENAI_EMBEDDING_MODEL (default text-embedding-3-small; always asked for 1536 dimensions).
 * - STORYFORGE_VECTOR_STORE = `pgvector` (default) | `pinecone`: needs PINECONE_API_KEY and
 *   PINECONE_INDEX_HOST (used as is) or PINECONE_INDEX (a name the client resolves to its host); the host wins
 *   when both are set. The index must use the cosine metric; its dimension is checked at startup.
 *
 * @example
 * readServerConfig({ databaseUrl, redisUrl, dataDir, env: { STORYFORGE_EMBEDDER: 'openai', OPENAI_API_KEY: 'sk-…' } });
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
  // Shorter than the longest request would refund holds of generations still running (then recorded).
  const graceMinutes = numberAtLeast(env, 'STORYFORGE_ORPHANED_HOLD_GRACE_MINUTES', 15, 'minutes', ' (longer than any generation request)');
  // A client retrying a lost response does so within minutes; under an hour would forget keys of requests
  // that may still be retried (and the retry then renders and charges again).
  const retentionHours = numberAtLeast(env, 'STORYFORGE_IDEMPOTENCY_RETENTION_HOURS', 1, 'hours');
  const embedder = readEmbedderConfig(env);
  const vectorStore = readVectorStoreConfig(env);
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
    embedder,
    vectorStore,
  };
}

/** The value, or undefined when unset or empty (an `export X=` left blank means "not configured"). */
function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** A numeric setting, undefined when unset; anything below `min` (or not a number) is an error naming it. */
function numberAtLeast(env: NodeJS.ProcessEnv, name: string, min: number, unit: string, why = ''): number | undefined {
  const raw = setting(env, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!(Number.isFinite(value) && value >= min)) throw new Error(`${name}=${raw} must be a number of ${unit} >= ${min}${why}`);
  return value;
}

function required(env: NodeJS.ProcessEnv, name: string, because: string): string {
  const value = setting(env, name);
  if (value === undefined) throw new Error(`${name} must be set when ${because}`);
  return value;
}

function oneOf<K extends string>(env: NodeJS.ProcessEnv, name: string, kinds: readonly K[]): K | undefined {
  const value = setting(env, name);
  if (value === undefined) return undefined;
  if (!(kinds as readonly string[]).includes(value)) throw new Error(`${name}=${value} is not one of: ${kinds.join(', ')}`);
  return value as K;
}

function readEmbedderConfig(env: NodeJS.ProcessEnv): EmbedderConfig {
  const kind = oneOf(env, 'STORYFORGE_EMBEDDER', EMBEDDER_KINDS) ?? 'hashing';
  if (kind === 'hashing') return { kind };
  const model = setting(env, 'STORYFORGE_OPENAI_EMBEDDING_MODEL');
  const baseURL = setting(env, 'OPENAI_BASE_URL');
  return {
    kind,
    apiKey: required(env, 'OPENAI_API_KEY', 'STORYFORGE_EMBEDDER=openai'),
    ...(model === undefined ? {} : { model }),
    ...(baseURL === undefined ? {} : { baseURL }),
  };
}

function readVectorStoreConfig(env: NodeJS.ProcessEnv): VectorStoreConfig {
  const kind = oneOf(env, 'STORYFORGE_VECTOR_STORE', VECTOR_STORE_KINDS) ?? 'pgvector';
  if (kind === 'pgvector') return { kind };
  const apiKey = required(env, 'PINECONE_API_KEY', 'STORYFORGE_VECTOR_STORE=pinecone');
  const host = setting(env, 'PINECONE_INDEX_HOST');
  const name = setting(env, 'PINECONE_INDEX');
  if (host !== undefined) return { kind, apiKey, index: { host } };
  if (name !== undefined) return { kind, apiKey, index: { name } };
  throw new Error('PINECONE_INDEX_HOST (the index host) or PINECONE_INDEX (its name) must be set when STORYFORGE_VECTOR_STORE=pinecone');
}

function devJwtSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
