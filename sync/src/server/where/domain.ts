/** A constant Postgres would refuse for this type; the compiler turns it into a 400. */
export class ValueInputError extends Error {}

/**
 * How the where compiler compares values of one column type. Rows are Postgres TEXT output (pgoutput,
 * snapshot `::text`); constants are literals or `$n` params, validated like Postgres's input functions.
 */
export interface Domain<V> {
  readonly label: string;
  /** `<`, `>`, … allowed (enums: only equality, since their order is the catalog's, not the label's). */
  readonly ordered: boolean;
  /** Cast appended to a string constant's placeholder (`$1::"int4"`); undefined lets Postgres infer it. */
  readonly sqlType: string | undefined;
  /** Text types: ordering comparisons are rendered with `COLLATE "C"` to match {@link compareCodePoints}. */
  readonly text: boolean;
  /** Parses a row value; undefined when it is not valid text for the type (the comparison is then unknown). */
  fromRow(text: string): V | undefined;
  /** Parses a string literal or param value; throws ValueInputError when Postgres would refuse it. */
  fromInput(text: string): V;
  /** Numeric literal (`1`, `-2.5`) compared with this column; absent when Postgres has no such operator. */
  fromNumericLiteral?(text: string): V;
  fromBoolLiteral?(value: boolean): V;
  compare(a: V, b: V): number;
  /** Canonical text for the snapshot query's parameter. */
  toParam(value: V): string;
  /** The exact text pgoutput would emit for an equal value, for types whose text form is canonical. */
  routingKey?(value: V): string | undefined;
}
