import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors/api-error';
import { canonicalJson, decideExisting, type ExistingRequest, parseIdempotencyKey, requestFingerprint } from './idempotency-key';

describe('parseIdempotencyKey', () => {
  it('accepts 1–255 printable ASCII characters and an absent header', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    for (const key of ['k', '0b6f6f2e-8a5c-4c55-9a59-5c1f4b0f5e2a', 'a b~!', 'x'.repeat(255)]) expect(parseIdempotencyKey(key)).toBe(key);
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'x'.repeat(256)],
    ['a tab', 'a\tb'],
    ['a DEL', 'a\x7fb'],
    ['non-ASCII', 'clé'],
  ])('refuses %s with 400 invalid_idempotency_key', (_label, key) => {
    let error: unknown;
    try {
      parseIdempotencyKey(key);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'invalid_idempotency_key', status: 400 });
  });
});

describe('requestFingerprint', () => {
  it('ignores key order at every level, not values', () => {
    const a = { projectId: 'p', prompt: 'a red lighthouse', parameters: { mood: 0, lighting: 0.2, model_provider: 'simulated' } };
    const b = { parameters: { model_provider: 'simulated', lighting: 0.2, mood: 0 }, prompt: 'a red lighthouse', projectId: 'p' };
    expect(canonicalJson(b)).toBe('{"parameters":{"lighting":0.2,"model_provider":"simulated","mood":0},"projectId":"p","prompt":"a red lighthouse"}');
    expect(requestFingerprint(a)).toBe(requestFingerprint(b));
    expect(requestFingerprint(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(requestFingerprint({ ...a, prompt: 'a red lighthouse!' })).not.toBe(requestFingerprint(a));
    expect(requestFingerprint({ ...a, regenerate: true })).not.toBe(requestFingerprint(a));
    // An absent optional member and an undefined one are the same body (JSON has no undefined).
    expect(requestFingerprint({ ...a, brainId: undefined })).toBe(requestFingerprint(a));
  });
});

describe('decideExisting', () => {
  const staleMs = 3_600_000;
  const nowMs = 10_000_000;
  const row = (state: ExistingRequest['state'], ageMs: number, fingerprint = 'f1'): ExistingRequest => ({ fingerprint, state, updatedAtMs: nowMs - ageMs });

  it.each([
    ['completed, same body', row('completed', 1_000), { kind: 'replay' }],
    ['completed long ago, same body', row('completed', 10 * staleMs), { kind: 'replay' }],
    ['completed, other body', row('completed', 1_000, 'f2'), { kind: 'reused' }],
    ['pending, other body', row('pending', 1_000, 'f2'), { kind: 'reused' }],
    ['pending and stale, other body (never taken over)', row('pending', 2 * staleMs, 'f2'), { kind: 'reused' }],
    ['pending, just started', row('pending', 0), { kind: 'in_progress', retryAfterSeconds: 5 }],
    ['pending, 2.5 s before stale', row('pending', staleMs - 2_500), { kind: 'in_progress', retryAfterSeconds: 3 }],
    ['pending, exactly at the limit', row('pending', staleMs), { kind: 'in_progress', retryAfterSeconds: 1 }],
    ['pending, past the limit', row('pending', staleMs + 1), { kind: 'take_over' }],
  ])('%s', (_label, existing, expected) => {
    expect(decideExisting({ existing, fingerprint: 'f1', nowMs, staleMs })).toEqual(expected);
  });
});
