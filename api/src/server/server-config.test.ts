import { describe, expect, it } from 'vitest';
import { readServerConfig } from './server-config';

const base = { databaseUrl: 'postgres://x', redisUrl: 'redis://x', dataDir: '/nonexistent' };
const env = (extra: Record<string, string>) => ({ STORYFORGE_JWT_SECRET: 'secret', ...extra });

describe('readServerConfig: orphaned credit hold grace', () => {
  it('is unset (the reconciler default, 1 hour) unless STORYFORGE_ORPHANED_HOLD_GRACE_MINUTES is set', () => {
    expect(readServerConfig({ ...base, env: env({}) }).orphanedHoldGraceMs).toBeUndefined();
    expect(readServerConfig({ ...base, env: env({ STORYFORGE_ORPHANED_HOLD_GRACE_MINUTES: '90' }) }).orphanedHoldGraceMs).toBe(5_400_000);
  });

  it('refuses a grace shorter than a request can run, or not a number', () => {
    for (const value of ['5', '-1', 'soon']) {
      expect(() => readServerConfig({ ...base, env: env({ STORYFORGE_ORPHANED_HOLD_GRACE_MINUTES: value }) })).toThrow(/STORYFORGE_ORPHANED_HOLD_GRACE_MINUTES/);
    }
  });
});

describe('readServerConfig: Idempotency-Key retention', () => {
  it('is unset (24 hours) unless STORYFORGE_IDEMPOTENCY_RETENTION_HOURS is set', () => {
    expect(readServerConfig({ ...base, env: env({}) }).idempotencyRetentionMs).toBeUndefined();
    expect(readServerConfig({ ...base, env: env({ STORYFORGE_IDEMPOTENCY_RETENTION_HOURS: '48' }) }).idempotencyRetentionMs).toBe(172_800_000);
  });

  it('refuses less than an hour, or not a number', () => {
    for (const value of ['0.5', '-1', 'a day']) {
      expect(() => readServerConfig({ ...base, env: env({ STORYFORGE_IDEMPOTENCY_RETENTION_HOURS: value }) })).toThrow(/STORYFORGE_IDEMPOTENCY_RETENTION_HOURS/);
    }
  });
});

describe('readServerConfig: L2 embedder (STORYFORGE_EMBEDDER)', () => {
  it('is the local hashing embedder when unset or empty', () => {
    expect(readServerConfig({ ...base, env: env({}) }).embedder).toEqual({ kind: 'hashing' });
    expect(readServerConfig({ ...base, env: env({ STORYFORGE_EMBEDDER: '' }) }).embedder).toEqual({ kind: 'hashing' });
    expect(readServerConfig({ ...base, env: env({ STORYFORGE_EMBEDDER: 'hashing', OPENAI_API_KEY: 'sk-ignored' }) }).embedder).toEqual({ kind: 'hashing' });
  });

  it('openai takes OPENAI_API_KEY, and OPENAI_BASE_URL / STORYFORGE_OPENAI_EMBEDDING_MODEL only when set', () => {
    expect(readServerConfig({ ...base, env: env({ STORYFORGE_EMBEDDER: 'openai', OPENAI_API_KEY: 'sk-1' }) }).embedder).toEqual({ kind: 'openai', apiKey: 'sk-1' });
    const full = env({
      STORYFORGE_EMBEDDER: 'openai',
      OPENAI_API_KEY: 'sk-1',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      STORYFORGE_OPENAI_EMBEDDING_MODEL: 'text-embedding-3-large',
    });
    expect(readServerConfig({ ...base, env: full }).embedder).toEqual({ kind: 'openai', apiKey: 'sk-1', baseURL: 'http://127.0.0.1:9/v1', model: 'text-embedding-3-large' });
  });

  it('openai without OPENAI_API_KEY (unset or empty) is an error naming the variable', () => {
    for (const key of [{}, { OPENAI_API_KEY: '' }]) {
      expect(() => readServerConfig({ ...base, env: env({ STORYFORGE_EMBEDDER: 'openai', ...key }) })).toThrow(/^OPENAI_API_KEY must be set when STORYFORGE_EMBEDDER=openai$/);
    }
  });

  it('an unknown value is an error naming the variable and the allowed values', () => {
    for (const value of ['OpenAI', 'cohere']) {
      expect(() => readServerConfig({ ...base, env: env({ STORYFORGE_EMBEDDER: value }) })).toThrow(`STORYFORGE_EMBEDDER=${value} is not one of: hashing, openai`);
    }
  });
});

describe('readServerConfig: L2 vector store (STORYFORGE_VECTOR_STORE)', () => {
  const pinecone = (extra: Record<string, string>) => env({ STORYFORGE_VECTOR_STORE: 'pinecone', PINECONE_API_KEY: 'pc-1', ...extra });

  it('is pgvector when unset or empty, or asked for', () => {
    for (const value of [{}, { STORYFORGE_VECTOR_STORE: '' }, { STORYFORGE_VECTOR_STORE: 'pgvector', PINECONE_API_KEY: 'ignored' }]) {
      expect(readServerConfig({ ...base, env: env(value) }).vectorStore).toEqual({ kind: 'pgvector' });
    }
  });

  it('pinecone by index host, by index name, and the host wins when both are set', () => {
    expect(readServerConfig({ ...base, env: pinecone({ PINECONE_INDEX_HOST: 'https://l2-abc.svc.pinecone.io' }) }).vectorStore).toEqual({
      kind: 'pinecone',
      apiKey: 'pc-1',
      index: { host: 'https://l2-abc.svc.pinecone.io' },
    });
    expect(readServerConfig({ ...base, env: pinecone({ PINECONE_INDEX: 'l2' }) }).vectorStore).toEqual({ kind: 'pinecone', apiKey: 'pc-1', index: { name: 'l2' } });
    expect(readServerConfig({ ...base, env: pinecone({ PINECONE_INDEX: 'l2', PINECONE_INDEX_HOST: 'https://h' }) }).vectorStore).toMatchObject({ index: { host: 'https://h' } });
  });

  it('pinecone without PINECONE_API_KEY is an error naming it', () => {
    expect(() => readServerConfig({ ...base, env: env({ STORYFORGE_VECTOR_STORE: 'pinecone', PINECONE_INDEX: 'l2' }) })).toThrow(
      /^PINECONE_API_KEY must be set when STORYFORGE_VECTOR_STORE=pinecone$/,
    );
  });

  it('pinecone without an index host or name (unset or empty) is an error naming both', () => {
    for (const extra of [{}, { PINECONE_INDEX_HOST: '', PINECONE_INDEX: '' }]) {
      expect(() => readServerConfig({ ...base, env: pinecone(extra) })).toThrow(/PINECONE_INDEX_HOST .* or PINECONE_INDEX .* must be set when STORYFORGE_VECTOR_STORE=pinecone/);
    }
  });

  it('an unknown value is an error naming the variable and the allowed values', () => {
    expect(() => readServerConfig({ ...base, env: env({ STORYFORGE_VECTOR_STORE: 'qdrant' }) })).toThrow('STORYFORGE_VECTOR_STORE=qdrant is not one of: pgvector, pinecone');
  });
});
