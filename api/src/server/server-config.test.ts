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
