import type postgres from 'postgres';
import type { ApiError } from '../errors/api-error';
import type { MutationResult } from './mutation-schema';

/** What processed_mutations.result holds: enough to answer a retry, without the (possibly large) row. */
export type StoredResult = { status: 'applied' } | { status: 'rejected'; error: ApiErrorJson };
export type ApiErrorJson = { code: string; status: number; message: string; details: Record<string, unknown> };

/** details are plain data built by us; postgres.js's JSONValue type cannot express `unknown` leaves. */
export function asJson(v: StoredResult): postgres.JSONValue {
  return v as unknown as postgres.JSONValue;
}

export function toJson(e: ApiError): ApiErrorJson {
  return { code: e.code, status: e.status, message: e.message, details: e.details };
}


export function rejected(mutationId: string, e: ApiError): MutationResult {
  return { mutationId, status: 'rejected', error: toJson(e) };
}
