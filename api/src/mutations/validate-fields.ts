import { generateKeyBetween } from 'fractional-indexing';
import { ApiError } from '../errors/api-error';
import type { MutationOp } from './mutation-schema';
import type { TableSpec } from './syncable-tables';

/** A fractional-indexing key the library itself accepts (it throws on invalid ones). */
export function isValidOrderKey(key: string): boolean {
  try {
    generateKeyBetween(key, null);
    return true;
  } catch {
    return false;
  }
}

/** Clients may not set server-only columns; the server's own writes (generation results) may. */
export type Writer = 'client' | 'server';

/**
 * Checks every incoming field against the table: known column, writable by this writer, valid value
 * (db's drizzle-zod validators, incl. JSON columns and vector dimension/finiteness). Returns the parsed
 * values keyed by SQL column name. Throws the first problem as an ApiError.
 */
export function validateFields(spec: TableSpec, op: MutationOp, fields: Record<string, unknown>, writer: Writer = 'client'): Record<string, unknown> {
  const forbidden = writer === 'server' ? spec.serverMaintained : spec.serverOnly;
  const out: Record<string, unknown> = {};
  if (op === 'delete') {
    if (Object.keys(fields).length > 0) throw new ApiError('invalid_body', 'A delete carries no fields', { table: spec.name });
    return out;
  }
  for (const [name, value] of Object.entries(fields)) {
    const col = spec.columns.get(name);
    if (!col) throw new ApiError('unknown_field', `Unknown field ${spec.name}.${name}`, { table: spec.name, field: name });
    if (forbidden.has(name)) {
      throw new ApiError('forbidden_field', `${spec.name}.${name} is set by the server only`, { table: spec.name, field: name });
    }
    if (value === undefined) continue;
    const parsed = col.schema.safeParse(value);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code }));
      const code = col.kind === 'vector' ? 'invalid_vector' : name === 'position' ? 'invalid_position' : 'invalid_value';
      throw new ApiError(code, `Invalid value for ${spec.name}.${name}`, { table: spec.name, field: name, issues });
    }
    if (name === 'position' && typeof parsed.data === 'string' && !isValidOrderKey(parsed.data)) {
      throw new ApiError('invalid_position', `${spec.name}.position is not a valid fractional-indexing key`, {
        table: spec.name,
        field: name,
      });
    }
    out[name] = parsed.data;
  }
  return out;
}

/** On a brand-new row: every NOT NULL column without a default must be present. */
export function checkRequired(spec: TableSpec, fields: Record<string, unknown>): void {
  const missing: string[] = [];
  for (const col of spec.columns.values()) {
    if (spec.serverOnly.has(col.name)) continue;
    if (col.column.notNull && !col.column.hasDefault && fields[col.name] === undefined) missing.push(col.name);
  }
  if (missing.length > 0) {
    throw new ApiError('invalid_value', `Missing required field(s) ${missing.join(', ')} for a new ${spec.name} row`, {
      table: spec.name,
      missing,
    });
  }
}
