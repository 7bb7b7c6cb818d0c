import { invalidParam } from '../sync-error';
import { TABLE_PARAM } from '../../protocol/constants';

export interface TableName {
  schema: string;
  name: string;
}

// An identifier: "quoted ""with"" escapes" or unquoted (folded to lower case, like Postgres).
const IDENT = /"((?:[^"]|"")+)"|([^".\s]+)/y;

function readIdent(text: string, pos: number): { value: string; end: number } | null {
  IDENT.lastIndex = pos;
  const m = IDENT.exec(text);
  if (m === null) return null;
  const value = m[1] !== undefined ? m[1].replaceAll('""', '"') : (m[2] ?? '').toLowerCase();
  return { value, end: IDENT.lastIndex };
}

/** Parses the `table` parameter: `items`, `schema.items`, `"My Schema"."name with spaces"`. */
export function parseTableName(text: string): TableName {
  const bad = () => invalidParam(TABLE_PARAM, `Invalid table name ${JSON.stringify(text)}: use name, schema.name or "quoted name"`);
  const first = readIdent(text, 0);
  if (first === null) throw bad();
  if (first.end === text.length) return { schema: 'public', name: first.value };
  if (text[first.end] !== '.') throw bad();
  const second = readIdent(text, first.end + 1);
  if (second === null || second.end !== text.length) throw bad();
  return { schema: first.value, name: second.value };
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function qualifiedName(table: TableName): string {
  return `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
}
