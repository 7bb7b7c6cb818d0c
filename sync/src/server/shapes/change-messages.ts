// Turns one row change into the message a given shape should log (or none): move-in → insert,
// move-out → delete, primary-key change → delete + insert, update of no selected column → nothing.
import type { ChangeMessage, WireRow } from '../../protocol/messages';
import { OPERATION_DELETE, OPERATION_INSERT, OPERATION_UPDATE, REPLICA_FULL } from '../../protocol/constants';
import type { TextRow } from './row-filter';
import { rowKey, type ShapeRuntime } from './shape-runtime';

export interface RowChangeInput {
  kind: 'insert' | 'update' | 'delete';
  newRow: TextRow | null;
  oldRow: TextRow | null;
  /** The old row only has the replica identity key (not REPLICA IDENTITY FULL). */
  oldIsKeyOnly: boolean;
}

type Header = Pick<ChangeMessage['headers'], 'txids' | 'lsn'> & { op_position: number };

function pick(shape: ShapeRuntime, row: TextRow): WireRow {
  const out: WireRow = {};
  for (const c of shape.selected) out[c.name] = row[c.name] ?? null;
  return out;
}

function keyOf(shape: ShapeRuntime, row: TextRow): string {
  return rowKey(shape.keyPrefix, shape.table.primaryKey.map((k) => row[k]));
}

function pkOnly(shape: ShapeRuntime, row: TextRow): WireRow {
  const out: WireRow = {};
  for (const k of shape.table.primaryKey) out[k] = row[k] ?? null;
  return out;
}

function message(shape: ShapeRuntime, operation: ChangeMessage['headers']['operation'], key: string, value: WireRow, h: Header): ChangeMessage {
  return {
    key,
    value,
    headers: { operation, relation: [shape.table.schema, shape.table.name], txids: h.txids ?? [], lsn: h.lsn ?? '0', op_position: h.op_position },
  };
}

export function changeMessages(shape: ShapeRuntime, change: RowChangeInput, header: Header): ChangeMessage[] {
  const full = shape.def.replica === REPLICA_FULL;
  const { newRow, oldRow } = change;
  if (change.kind === 'insert') {
    if (newRow === null || !shape.filter.matches(newRow)) return [];
    return [message(shape, OPERATION_INSERT, keyOf(shape, newRow), pick(shape, newRow), header)];
  }
  if (change.kind === 'delete') {
    if (oldRow === null) return [];
    // Without the full old row we cannot evaluate the filter; a delete of a key the client never had is harmless.
    if (!change.oldIsKeyOnly && !shape.filter.matches(oldRow)) return [];
    const value = full && !change.oldIsKeyOnly ? pick(shape, oldRow) : pkOnly(shape, oldRow);
    return [message(shape, OPERATION_DELETE, keyOf(shape, oldRow), value, header)];
  }
  if (newRow === null) return [];
  const old = oldRow ?? newRow;
  const oldMatches = change.oldIsKeyOnly || oldRow === null ? true : shape.filter.matches(old);
  const newMatches = shape.filter.matches(newRow);
  const oldKey = keyOf(shape, old);
  const newKey = keyOf(shape, newRow);
  if (oldMatches && newMatches && oldKey === newKey) {
    const changed: WireRow = {};
    let any = false;
    for (const c of shape.selected) {
      const v = newRow[c.name] ?? null;
      if (change.oldIsKeyOnly || old[c.name] !== v) {
        changed[c.name] = v;
        any = true;
      }
    }
    if (!any) return [];
    if (full) {
      const m = message(shape, OPERATION_UPDATE, newKey, pick(shape, newRow), header);
      if (!change.oldIsKeyOnly) {
        const oldValue: WireRow = {};
        for (const name of Object.keys(changed)) oldValue[name] = old[name] ?? null;
        m.old_value = oldValue;
      }
      return [m];
    }
    return [message(shape, OPERATION_UPDATE, newKey, { ...pkOnly(shape, newRow), ...changed }, header)];
  }
  const out: ChangeMessage[] = [];
  if (oldMatches) out.push(message(shape, OPERATION_DELETE, oldKey, full && !change.oldIsKeyOnly ? pick(shape, old) : pkOnly(shape, old), header));
  if (newMatches) out.push(message(shape, OPERATION_INSERT, newKey, pick(shape, newRow), header));
  return out;
}
