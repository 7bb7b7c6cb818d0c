/**
 * A boolean SQL fragment with numbered placeholders, produced by the where compiler and the scope policy.
 * `sql` numbers its placeholders from $1; `sqlAt(n)` renders the same fragment numbered from $n, so
 * fragments can be combined without rewriting SQL text.
 */
export interface SqlFragment {
  sql: string;
  sqlParams: unknown[];
  sqlAt(firstParam: number): string;
}

/**
 * ANDs fragments into one condition with consecutive placeholders.
 *
 * @example
 *   const { sql, sqlParams } = andSql([compiled, scope]);
 *   await pg.unsafe(`select … from ${table} where ${sql}`, sqlParams);
 */
export function andSql(fragments: ReadonlyArray<SqlFragment>): { sql: string; sqlParams: unknown[] } {
  if (fragments.length === 0) return { sql: 'TRUE', sqlParams: [] };
  const parts: string[] = [];
  const sqlParams: unknown[] = [];
  for (const fragment of fragments) {
    parts.push(`(${fragment.sqlAt(sqlParams.length + 1)})`);
    sqlParams.push(...fragment.sqlParams);
  }
  return { sql: parts.join(' AND '), sqlParams };
}
