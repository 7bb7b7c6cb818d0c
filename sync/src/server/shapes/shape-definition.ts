import { createHash } from 'node:crypto';
import {
  COLUMNS_PARAM,
  REPLICA_DEFAULT,
  REPLICA_FULL,
  REPLICA_PARAM,
  TABLE_PARAM,
  WHERE_PARAM,
  WHERE_PARAMS_PREFIX,
  type ReplicaMode,
} from '../../protocol/constants';
import { parseTableName, type TableName } from '../schema/table-name';
import { invalidParam } from '../sync-error';

/** What identifies a shape (before the server adds scope): table, where + params, columns, replica. */
export interface ShapeDefinition {
  table: TableName;
  where: string | null;
  params: Record<string, string>;
  /** Requested columns (null = all allowed). */
  columns: string[] | null;
  replica: ReplicaMode;
  /** Scope owner (auth mode) — part of the identity, so users never share a shape log. */
  userId: string | null;
}

const PARAM_RE = /^params\[(\d+)\]$/;

/** Splits Electric's `columns` value: `"id","has,comma",plain` (the client double-quotes every name). */
export function parseColumnList(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      let j = i + 1;
      let name = '';
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) throw invalidParam(COLUMNS_PARAM, 'Unterminated quoted column name');
        name += text.slice(j, q);
        if (text[q + 1] === '"') {
          name += '"';
          j = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(name);
    } else {
      let j = text.indexOf(',', i);
      if (j < 0) j = text.length;
      const raw = text.slice(i, j).trim();
      if (raw === '') throw invalidParam(COLUMNS_PARAM, 'Empty column name');
      out.push(raw.toLowerCase());
      i = j;
    }
    if (i < text.length) {
      if (text[i] !== ',') throw invalidParam(COLUMNS_PARAM, 'Expected "," between column names');
      i++;
    }
  }
  if (out.length === 0) throw invalidParam(COLUMNS_PARAM, 'columns must name at least one column');
  return out;
}

export function parseShapeDefinition(query: URLSearchParams, userId: string | null): ShapeDefinition {
  const table = query.get(TABLE_PARAM);
  if (table === null || table === '') throw invalidParam(TABLE_PARAM, 'table is required');
  const params: Record<string, string> = {};
  for (const [k, v] of query) {
    if (!k.startsWith(WHERE_PARAMS_PREFIX)) continue;
    const m = PARAM_RE.exec(k);
    if (m === null) throw invalidParam(WHERE_PARAMS_PREFIX, `Invalid parameter name ${k}: use params[1], params[2], …`);
    params[String(Number(m[1]))] = v;
  }
  const replicaText = query.get(REPLICA_PARAM) ?? REPLICA_DEFAULT;
  if (replicaText !== REPLICA_DEFAULT && replicaText !== REPLICA_FULL) {
    throw invalidParam(REPLICA_PARAM, `replica must be ${REPLICA_DEFAULT} or ${REPLICA_FULL}`);
  }
  const where = query.get(WHERE_PARAM);
  const columns = query.get(COLUMNS_PARAM);
  return {
    table: parseTableName(table),
    where: where === null || where.trim() === '' ? null : where,
    params,
    columns: columns === null ? null : parseColumnList(columns),
    replica: replicaText,
    userId,
  };
}

/** Stable identity of a definition (handles add a per-instance suffix). */
export function definitionKey(def: ShapeDefinition): string {
  const canonical = JSON.stringify([
    def.table.schema,
    def.table.name,
    def.where,
    Object.entries(def.params).sort(([a], [b]) => Number(a) - Number(b)),
    def.columns,
    def.replica,
    def.userId,
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
