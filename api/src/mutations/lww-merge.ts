/** Map column name → HLC string of that column's last accepted write (same shape as db's FieldClocks). */
export type Clocks = Readonly<Record<string, string>>;

export interface MergeFieldsInput {
  /** Column name → incoming value (already validated). */
  incoming: Readonly<Record<string, unknown>>;
  /** The mutation's (clamped) HLC; every incoming field carries it. */
  hlc: string;
  /** The row's current field clocks; `{}` for a row that does not exist yet. */
  clocks: Clocks;
}

export interface MergeFieldsResult {
  /** Fields whose incoming write wins: write exactly these. */
  winners: Record<string, unknown>;
  /** The row's clocks after the merge (unchanged entries kept). */
  clocks: Record<string, string>;
  /** Fields whose incoming write lost to a newer (or the same) clock. */
  losers: string[];
}

/**
 * Per-field last-writer-wins. A field is taken only when the incoming HLC is strictly greater than the
 * field's clock; HLC strings compare lexicographically and end with the client id, so equal wall time
 * and counter are decided by client id. An equal clock is the same write seen again, so it loses (this
 * is what makes replays idempotent). A field with no clock yet (column default) always takes the write.
 *
 * Pure: the final state depends only on the set of writes, not their order, which is what makes
 * concurrent writers converge.
 *
 * @example mergeFields({ incoming: { title: 'B' }, hlc: '…-b', clocks: { title: '…-a' } })
 */
export function mergeFields({ incoming, hlc, clocks }: MergeFieldsInput): MergeFieldsResult {
  const winners: Record<string, unknown> = {};
  const next: Record<string, string> = { ...clocks };
  const losers: string[] = [];
  for (const [field, value] of Object.entries(incoming)) {
    const current = clocks[field];
    if (current === undefined || hlc > current) {
      winners[field] = value;
      next[field] = hlc;
    } else {
      losers.push(field);
    }
  }
  return { winners, clocks: next, losers };
}
