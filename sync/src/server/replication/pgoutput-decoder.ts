// pgoutput protocol v1 decoder (https://www.postgresql.org/docs/15/protocol-logicalrep-message-formats.html).
// Our own instead of the library's because we need the raw text form of every value (the library runs
// node-postgres type parsers) and an explicit marker for unchanged TOAST values.

/** A tuple aligned with its relation's columns: text value, null, or UNCHANGED_TOAST (undefined). */
export type TupleValue = string | null | undefined;
export type Tuple = TupleValue[];

export interface RelationColumn {
  name: string;
  /** Part of the replica identity key. */
  isKey: boolean;
  typeOid: number;
  typeMod: number;
}

export interface RelationMessage {
  tag: 'relation';
  relationId: number;
  schema: string;
  name: string;
  replicaIdentity: string;
  columns: RelationColumn[];
}

export type PgOutputMessage =
  | { tag: 'begin'; finalLsn: bigint; commitTime: bigint; xid: number }
  | { tag: 'commit'; commitLsn: bigint; endLsn: bigint; commitTime: bigint }
  | RelationMessage
  | { tag: 'insert'; relationId: number; newTuple: Tuple }
  | { tag: 'update'; relationId: number; oldTuple: Tuple | null; oldIsKeyOnly: boolean; newTuple: Tuple }
  | { tag: 'delete'; relationId: number; oldTuple: Tuple; oldIsKeyOnly: boolean }
  | { tag: 'truncate'; relationIds: number[] }
  | { tag: 'other'; byte: number };

const decoder = new TextDecoder();

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  u8(): number {
    return this.buf.readUInt8(this.pos++);
  }
  i16(): number {
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  i32(): number {
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  u32(): number {
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  u64(): bigint {
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }
  cstring(): string {
    const end = this.buf.indexOf(0, this.pos);
    const s = decoder.decode(this.buf.subarray(this.pos, end));
    this.pos = end + 1;
    return s;
  }
  tuple(): Tuple {
    const n = this.i16();
    const out: Tuple = new Array<TupleValue>(n);
    for (let i = 0; i < n; i++) {
      const kind = this.u8();
      if (kind === 0x74 /* t */) {
        const len = this.i32();
        out[i] = this.buf.toString('utf8', this.pos, this.pos + len);
        this.pos += len;
      } else if (kind === 0x6e /* n */) {
        out[i] = null;
      } else if (kind === 0x75 /* u */) {
        out[i] = undefined;
      } else {
        throw new Error(`pgoutput: unsupported tuple value kind ${kind} (binary mode is off)`);
      }
    }
    return out;
  }
}

/** Decodes one pgoutput message (the payload of an XLogData frame). */
export function decodePgOutput(buf: Buffer): PgOutputMessage {
  const r = new Reader(buf);
  const tag = r.u8();
  switch (tag) {
    case 0x42 /* B */: {
      const finalLsn = r.u64();
      const commitTime = r.u64();
      return { tag: 'begin', finalLsn, commitTime, xid: r.u32() };
    }
    case 0x43 /* C */: {
      r.u8();
      const commitLsn = r.u64();
      const endLsn = r.u64();
      return { tag: 'commit', commitLsn, endLsn, commitTime: r.u64() };
    }
    case 0x52 /* R */: {
      const relationId = r.u32();
      const schema = r.cstring();
      const name = r.cstring();
      const replicaIdentity = String.fromCharCode(r.u8());
      const n = r.i16();
      const columns: RelationColumn[] = [];
      for (let i = 0; i < n; i++) {
        const flags = r.u8();
        const colName = r.cstring();
        const typeOid = r.u32();
        const typeMod = r.i32();
        columns.push({ name: colName, isKey: (flags & 1) === 1, typeOid, typeMod });
      }
      return { tag: 'relation', relationId, schema, name, replicaIdentity, columns };
    }
    case 0x49 /* I */: {
      const relationId = r.u32();
      r.u8(); // 'N'
      return { tag: 'insert', relationId, newTuple: r.tuple() };
    }
    case 0x55 /* U */: {
      const relationId = r.u32();
      let kind = r.u8();
      let oldTuple: Tuple | null = null;
      const oldIsKeyOnly = kind === 0x4b; /* K */
      if (kind === 0x4b || kind === 0x4f /* O */) {
        oldTuple = r.tuple();
        kind = r.u8();
      }
      return { tag: 'update', relationId, oldTuple, oldIsKeyOnly, newTuple: r.tuple() };
    }
    case 0x44 /* D */: {
      const relationId = r.u32();
      const kind = r.u8();
      return { tag: 'delete', relationId, oldIsKeyOnly: kind === 0x4b, oldTuple: r.tuple() };
    }
    case 0x54 /* T */: {
      const n = r.u32();
      r.u8();
      const relationIds: number[] = [];
      for (let i = 0; i < n; i++) relationIds.push(r.u32());
      return { tag: 'truncate', relationIds };
    }
    default:
      return { tag: 'other', byte: tag };
  }
}
