// Message shapes on the wire (JSON). Values are Postgres text forms (or null); the client parses them.
import type { Operation } from './constants';

export type WireValue = string | null;
export type WireRow = Record<string, WireValue>;

export interface ChangeHeaders {
  operation: Operation;
  relation: [string, string];
  txids?: number[];
  lsn?: string;
  op_position?: number;
  last?: boolean;
}

export interface ChangeMessage {
  key: string;
  value: WireRow;
  old_value?: WireRow;
  headers: ChangeHeaders;
}

export interface UpToDateMessage {
  headers: { control: 'up-to-date'; global_last_seen_lsn?: string };
}
export interface MustRefetchMessage {
  headers: { control: 'must-refetch' };
}
export interface SnapshotEndMessage {
  headers: { control: 'snapshot-end'; xmin: string; xmax: string; xip_list: string[] };
}
export type ControlMessage = UpToDateMessage | MustRefetchMessage | SnapshotEndMessage;
export type ShapeMessage = ChangeMessage | ControlMessage;

/** One column of the `electric-schema` header. */
export interface SchemaColumn {
  type: string;
  pk_index?: number;
  not_null?: boolean;
  dims?: number;
  type_mod?: number;
  max_length?: number;
  length?: number;
  precision?: number;
  scale?: number;
}
export type ShapeSchema = Record<string, SchemaColumn>;
