import type { ColumnInfo } from '../schema/column-info';
import type { Domain } from './domain';

/**
 * The checked, typed form of a where clause: every column resolved, every constant parsed for the
 * column it meets. Both the live matcher and the snapshot SQL are derived from this one tree, never from
 * the client's text.
 */
export type WhereNode =
  | { kind: 'and' | 'or'; args: WhereNode[] }
  | { kind: 'not'; arg: WhereNode }
  | { kind: 'literal'; value: boolean | null }
  | { kind: 'bool-column'; column: ColumnOperand }
  | { kind: 'compare'; op: CompareOp; left: Operand; right: Operand; domain: Domain<unknown> }
  | { kind: 'in'; negated: boolean; column: ColumnOperand; values: ConstOperand[]; domain: Domain<unknown> }
  | { kind: 'is-null'; negated: boolean; column: ColumnOperand }
  | { kind: 'is-truth'; truth: boolean; negated: boolean; arg: WhereNode }
  | {
      kind: 'like';
      negated: boolean;
      caseInsensitive: boolean;
      column: ColumnOperand;
      pattern: ConstOperand;
      matcher: (text: string) => boolean;
    };

export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

export interface ColumnOperand {
  kind: 'column';
  column: ColumnInfo;
  /** The column's own domain (parses its row text), absent for types that only support IS NULL. */
  domain: Domain<unknown> | undefined;
}

export interface ConstOperand {
  kind: 'const';
  /** Parsed value in the comparison's domain; null for SQL NULL. */
  value: unknown;
  /** What the snapshot query binds: canonical text and the cast for its placeholder (undefined: none). */
  param: { text: string; cast: string | undefined } | null;
}

export type Operand = ColumnOperand | ConstOperand;
