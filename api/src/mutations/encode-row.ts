import type postgres from 'postgres';
import type { Tx } from './write-context';
import type { TableSpec } from './syncable-tables';

/**
 * Turns validated values into what postgres.js sends: jsonb through sql.json (a JS array would otherwise
 * be sent as a Postgres array), vectors as pgvector's text form `[1,2,3]`.
 */
export function encodeRow(tx: Tx, spec: TableSpec, values: Record<string, unknown>): Record<string, postgres.ParameterOrJSON<never>> {
  const out: Record<string, postgres.ParameterOrJSON<never>> = {};
  for (const [name, value] of Object.entries(values)) {
    const kind = spec.columns.get(name)?.kind;
    if (value === null) out[name] = null;
    else if (kind === 'json') out[name] = tx.json(value as postgres.JSONValue);
    else if (kind === 'vector') out[name] = `[${(value as number[]).join(',')}]`;
    // Validated scalars (string, number, boolean) go as they are.
    else out[name] = value as string | number | boolean;
  }
  return out;
}
