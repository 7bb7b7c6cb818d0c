import { createHash } from 'node:crypto';
import { ApiError } from '../errors/api-error';

/**
 * Idempotency-Key for POST /v1/generations, as in draft-ietf-httpapi-idempotency-key-header (and Stripe):
 * the pure half — header names, key validation, the body fingerprint and what to do with an existing
 * record. The SQL half is generation-requests.ts.
 */

/** Request header (optional). HTTP header names are case-insensitive; Hono looks them up lower-cased. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Response header on a stored response replayed for a retry. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
/** Response header of a 409 `idempotency_request_in_progress`. */
export const RETRY_AFTER_HEADER = 'retry-after';
/** What a 409 `idempotency_request_in_progress` suggests: a render takes seconds to minutes. */
export const IN_PROGRESS_RETRY_AFTER_SECONDS = 5;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** 1–255 printable ASCII characters (space to '~'); the same check is a constraint on the table. */
const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

/**
 * The header's key, undefined when the header is absent, or 400 `invalid_idempotency_key`.
 *
 * @example parseIdempotencyKey(c.req.header(IDEMPOTENCY_KEY_HEADER)) // 'a4f0…' | undefined
 */
export function parseIdempotencyKey(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!KEY_PATTERN.test(raw)) {
    throw new ApiError('invalid_idempotency_key', `The Idempotency-Key header must be 1–${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters (a UUID is a good key)`, {
      length: raw.length,
    });
  }
  return raw;
}

/**
 * JSON with object keys sorted at every level, so two bodies that differ only in key order (or in
 * whitespace) have one fingerprint. undefined members are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 (hex) of the canonical JSON of the validated request body. */
export function requestFingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/** What the table holds for a key, as far as deciding goes. */
export interface ExistingRequest {
  fingerprint: string;
  state: 'pending' | 'completed';
  /** Last claim (pending) or completion, ms since the epoch. */
  updatedAtMs: number;
}

export type ExistingRequestDecision =
  /** Same body, completed: answer the stored response. */
  | { kind: 'replay' }
  /** Another body under this key: 422, nothing changes. */
  | { kind: 'reused' }
  /** Same body, still running: 409 with Retry-After. */
  | { kind: 'in_progress'; retryAfterSeconds: number }
  /** Same body, pending for longer than any request runs: its process died, take the key over. */
  | { kind: 'take_over' };

export interface DecideExistingOptions {
  existing: ExistingRequest;
  fingerprint: string;
  nowMs: number;
  /** A pending record older than this belongs to a request that died (see DEFAULT_ORPHANED_HOLD_GRACE_MS). */
  staleMs: number;
}

/**
 * What a request does with the record already under its key. The body is compared first: a key reused
 * for a different request is refused whatever the record's state, and never taken over.
 */
export function decideExisting({ existing, fingerprint, nowMs, staleMs }: DecideExistingOptions): ExistingRequestDecision {
  if (existing.fingerprint !== fingerprint) return { kind: 'reused' };
  if (existing.state === 'completed') return { kind: 'replay' };
  const ageMs = nowMs - existing.updatedAtMs;
  if (ageMs > staleMs) return { kind: 'take_over' };
  // Never later than when the record turns stale, and at least 1 s (Retry-After is in whole seconds).
  const untilStale = Math.ceil((staleMs - ageMs) / 1000);
  return { kind: 'in_progress', retryAfterSeconds: Math.max(1, Math.min(IN_PROGRESS_RETRY_AFTER_SECONDS, untilStale)) };
}
