// The registry: which comparison domain a column gets, by its catalog type.
import type { ColumnInfo } from '../schema/column-info';
import type { Domain } from './domain';
import { floatDomain, intDomain, numericDomain } from './number-domains';
import { boolDomain, enumDomain, textDomain, uuidDomain } from './text-domains';
import { dateDomain, timestampDomain } from './time-domains';

export { ValueInputError, type Domain } from './domain';

const BY_TYPE_NAME: Readonly<Record<string, Domain<unknown>>> = {
  int2: intDomain('int2'),
  int4: intDomain('int4'),
  int8: intDomain('int8'),
  numeric: numericDomain,
  float4: floatDomain('float4'),
  float8: floatDomain('float8'),
  text: textDomain('text'),
  varchar: textDomain('varchar'),
  bpchar: textDomain('bpchar'),
  bool: boolDomain,
  uuid: uuidDomain,
  timestamptz: timestampDomain('timestamptz'),
  timestamp: timestampDomain('timestamp'),
  date: dateDomain,
};

/**
 * The comparison domain of a column, or undefined for types the where subset cannot compare (arrays, json,
 * vector, bytea, …: only `IS [NOT] NULL` applies to them).
 */
export function domainFor(column: ColumnInfo): Domain<unknown> | undefined {
  if (column.dims > 0) return undefined;
  if (column.category === 'E') return enumDomain as Domain<unknown>;
  return BY_TYPE_NAME[column.typeName];
}

/** Exact-number domains (ints and numeric) compare with each other without rounding. */
export function isExactNumber(column: ColumnInfo): boolean {
  return column.dims === 0 && ['int2', 'int4', 'int8', 'numeric'].includes(column.typeName);
}
