// The initial snapshot of a shape, consistent with the log: the shape is registered with the router
// BEFORE this runs (so every transaction committed after the snapshot is captured), and the snapshot's
// own pg_current_snapshot() tells which captured transactions it already contains.
import type postgres from 'postgres';
import { CONTROL_SNAPSHOT_END, OPERATION_INSERT } from '../../protocol/constants';
import { qualifiedName, quoteIdent } from '../schema/table-name';
import type { ShapeStore } from '../store/shape-store';
import { rowKey, wake, type ShapeRuntime } from './shape-runtime';
import { parseLsn } from '../replication/lsn';
import { parseSnapshot, visibleInSnapshot } from './visibility';

export interface TakeSnapshotOptions {
  /** Pool with TimeZone=UTC, DateStyle=ISO, extra_float_digits=1, bytea_output=hex, IntervalStyle=postgres. */
  sql: postgres.Sql;
  store: ShapeStore;
  shape: ShapeRuntime;
  pageSize: number;
}

/** Runs the snapshot, writing pages as they come; resolves once every page is durable. */
export async function takeSnapshot({ sql, store, shape, pageSize }: TakeSnapshotOptions): Promise<void> {
  // ::text gives the output-function text form, except bpchar whose cast to text strips the padding that
  // pgoutput keeps; postgres.js returns bpchar (and its domains) unparsed, so read it as is.
  const cols = shape.selected
    .map((c, i) => `${quoteIdent(c.name)}${c.typeName === 'bpchar' && c.dims === 0 ? '' : '::text'} as c${i}`)
    .join(', ');
  const where = shape.filter.sql === null ? '' : ` where ${shape.filter.sql}`;
  const query = `select ${cols} from ${qualifiedName(shape.table)}${where}`;
  const relation = JSON.stringify([shape.table.schema, shape.table.name]);
  const pkIdx = shape.table.primaryKey.map((k) => shape.selected.findIndex((c) => c.name === k));
  const names = shape.selected.map((c) => JSON.stringify(c.name));
  const headers = `"headers":{"operation":"${OPERATION_INSERT}","relation":${relation}}`;

  await sql.begin('isolation level repeatable read read only', async (tx) => {
    // One statement: the snapshot is taken at its start, so the insert position read during it is past
    // every commit record the snapshot can see.
    const [snap] = await tx.unsafe<{ snap: string; lsn: string }[]>(
      'select pg_current_snapshot()::text as snap, pg_current_wal_insert_lsn()::text as lsn',
    );
    const visibility = parseSnapshot(snap?.snap ?? '0:0:');
    shape.visibility = visibility;
    shape.snapshotLsn = Number(parseLsn(snap?.lsn ?? '0/0'));
    shape.captured = shape.captured.filter((c) => !visibleInSnapshot(visibility, c.xid));
    shape.snapshotEnd = JSON.stringify({
      headers: { control: CONTROL_SNAPSHOT_END, xmin: visibility.raw.xmin, xmax: visibility.raw.xmax, xip_list: visibility.raw.xip },
    });
    const cursor = tx.unsafe<Record<string, string | null>[]>(query, shape.filter.sqlParams as postgres.ParameterOrJSON<never>[]).cursor(pageSize);
    for await (const rows of cursor) {
      if (shape.state === 'retired') return;
      const parts: string[] = new Array<string>(rows.length);
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r] as Record<string, string | null>;
        let value = '';
        for (let i = 0; i < names.length; i++) {
          const v = row[`c${i}`] ?? null;
          value += `${i === 0 ? '' : ','}${names[i]}:${v === null ? 'null' : JSON.stringify(v)}`;
        }
        const key = rowKey(shape.keyPrefix, pkIdx.map((i) => row[`c${i}`]));
        parts[r] = `{"key":${JSON.stringify(key)},"value":{${value}},${headers}}`;
      }
      store.putSnapshotPage(shape.handle, shape.pageCount, parts.join(','));
      shape.pageCount++;
      wake(shape);
    }
  });
  if (shape.state === 'retired') return;
  if (shape.pageCount === 0) {
    store.putSnapshotPage(shape.handle, 0, '');
    shape.pageCount = 1;
  }
}
