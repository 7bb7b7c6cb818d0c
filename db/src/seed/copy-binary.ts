import { getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/**
 * Binary COPY encoding (https://www.postgresql.org/docs/15/sql-copy.html, "Binary Format") for the
 * column types seed data uses. Binary skips printing and re-parsing floats, which dominates loading
 * 512-d vectors as text. pgvector's binary form is int16 dim, int16 unused, dim × float4 big-endian.
 */
export const BINARY_COPY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
export const BINARY_COPY_TRAILER = Buffer.from([0xff, 0xff]);

const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

type Encoder = (value: unknown) => Buffer;

const text: Encoder = (v) => Buffer.from(String(v), 'utf8');

const ENCODERS: Record<string, Encoder> = {
  PgUUID: (v) => Buffer.from(String(v).replace(/-/g, ''), 'hex'),
  PgText: text,
  PgVarchar: text,
  // Our only custom column type is text COLLATE "C" (scenes.position), whose wire form is text's.
  PgCustomColumn: text,
  PgJsonb: (v) => Buffer.concat([Buffer.from([1]), Buffer.from(JSON.stringify(v), 'utf8')]),
  PgInteger: (v) => {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE(Number(v));
    return b;
  },
  PgBigInt53: (v) => {
    const b = Buffer.allocUnsafe(8);
    b.writeBigInt64BE(BigInt(Number(v)));
    return b;
  },
  PgReal: (v) => {
    const b = Buffer.allocUnsafe(4);
    b.writeFloatBE(Number(v));
    return b;
  },
  PgDoublePrecision: (v) => {
    const b = Buffer.allocUnsafe(8);
    b.writeDoubleBE(Number(v));
    return b;
  },
  PgBoolean: (v) => Buffer.from([v ? 1 : 0]),
  PgTimestamp: (v) => {
    const ms = (v instanceof Date ? v : new Date(String(v))).getTime();
    const b = Buffer.allocUnsafe(8);
    b.writeBigInt64BE(BigInt(ms - PG_EPOCH_MS) * 1000n);
    return b;
  },
  PgVector: (v) => {
    const values = v as ArrayLike<number>;
    const b = Buffer.allocUnsafe(4 + 4 * values.length);
    b.writeInt16BE(values.length, 0);
    b.writeInt16BE(0, 2);
    for (let i = 0; i < values.length; i++) b.writeFloatBE(values[i] ?? 0, 4 + 4 * i);
    return b;
  },
};

export interface BinaryColumn {
  key: string;
  encode: Encoder;
}

/** The encoder of a Drizzle column type; throws for a type seed data never sends. */
export function binaryEncoder(columnType: string, table: PgTable, key: string): Encoder {
  const encoder = ENCODERS[columnType];
  if (encoder === undefined) throw new Error(`binary COPY: no encoder for ${columnType} (${getTableName(table)}.${key})`);
  return encoder;
}

/** One tuple: int16 field count, then per field int32 length (-1 = NULL) and the bytes. */
export function encodeBinaryRow(record: Record<string, unknown>, columns: readonly BinaryColumn[]): Buffer {
  const parts: Buffer[] = [];
  const count = Buffer.allocUnsafe(2);
  count.writeInt16BE(columns.length);
  parts.push(count);
  for (const c of columns) {
    const value = record[c.key];
    const length = Buffer.allocUnsafe(4);
    if (value === null || value === undefined) {
      length.writeInt32BE(-1);
      parts.push(length);
      continue;
    }
    const bytes = c.encode(value);
    length.writeInt32BE(bytes.length);
    parts.push(length, bytes);
  }
  return Buffer.concat(parts);
}
