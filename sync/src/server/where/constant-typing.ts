// Constants meet columns: a literal or param gets its type (and parsed value) from the column it is
// compared with, as Postgres resolves an `unknown` literal; numeric literals keep their own type.
import type { ColumnInfo } from '../schema/column-info';
import { formatDecimal, parseDecimal } from './decimal';
import { isExactNumber, ValueInputError, type Domain } from './domains';
import { WhereError } from './where-error';
import type { ConstOperand } from './where-node';

/** A constant before it meets a column: its type comes from the column it is compared with. */
export type RawConst =
  | { kind: 'string'; text: string; cast: NormalCast | undefined; param: number | undefined; position: number | undefined }
  | { kind: 'number'; text: string; position: number | undefined }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' };

export interface NormalCast {
  name: string;
  /** Written in double quotes: compared with the typname exactly. */
  quoted: boolean;
}

const TYPE_ALIASES: Readonly<Record<string, string>> = {
  int: 'int4', integer: 'int4', int4: 'int4', smallint: 'int2', int2: 'int2', bigint: 'int8', int8: 'int8',
  real: 'float4', float4: 'float4', float: 'float8', 'double precision': 'float8', float8: 'float8',
  numeric: 'numeric', decimal: 'numeric', text: 'text', varchar: 'varchar', 'character varying': 'varchar',
  char: 'bpchar', character: 'bpchar', bpchar: 'bpchar', bool: 'bool', boolean: 'bool', uuid: 'uuid',
  timestamptz: 'timestamptz', 'timestamp with time zone': 'timestamptz', timestamp: 'timestamp',
  'timestamp without time zone': 'timestamp', date: 'date',
};

/** A cast's type name as the catalog spells it (`integer` → `int4`); unknown names lower-cased (enums). */
export function normalTypeName(name: string): string {
  return TYPE_ALIASES[name.toLowerCase()] ?? name.toLowerCase();
}

/** Types a constant by the column it meets, exactly as Postgres would resolve the operator. */
export function typeConstant(raw: RawConst, info: ColumnInfo, domain: Domain<unknown>, inList = false): ConstOperand {
  try {
    switch (raw.kind) {
      case 'null':
        return { kind: 'const', value: null, param: null };
      case 'bool':
        if (!domain.fromBoolLiteral) throw new ValueInputError(`cannot compare ${domain.label} column "${info.name}" with a boolean`);
        return { kind: 'const', value: domain.fromBoolLiteral(raw.value), param: { text: String(raw.value), cast: '"bool"' } };
      case 'number': {
        if (!domain.fromNumericLiteral) throw new ValueInputError(`cannot compare ${domain.label} column "${info.name}" with a number; quote the value`);
        const d = parseDecimal(raw.text);
        if (!d) throw new ValueInputError(`invalid number "${raw.text}"`);
        // The literal keeps its own SQL type (int4, int8 or numeric), as in Postgres.
        const integral = /^[+-]?\d+$/.test(raw.text) && d.kind === 'finite' ? d.m : undefined;
        const cast = integral === undefined ? '"numeric"' : integral >= -(2n ** 31n) && integral < 2n ** 31n ? '"int4"' : integral >= -(2n ** 63n) && integral < 2n ** 63n ? '"int8"' : '"numeric"';
        // An IN list of two or more values is resolved to one common type (transformAExprIn →
        // select_common_type): for a float4 column that is float4, so `f4 IN (0, 16777217)` rounds the
        // literal, while `f4 = 16777217` and a one-value `f4 IN (16777217)` compare as float8.
        const floatList = inList && (domain.label === 'float4' || domain.label === 'float8');
        const value = floatList ? domain.fromInput(raw.text) : domain.fromNumericLiteral(raw.text);
        return { kind: 'const', value, param: { text: formatDecimal(d), cast } };
      }
      case 'string': {
        if (raw.text.includes('\u0000')) throw new ValueInputError('values must not contain NUL characters');
        if (raw.cast && !castMatches(raw.cast, info)) {
          throw new ValueInputError(`cast to ${raw.cast.name} does not match column "${info.name}" of type ${info.typeName}`);
        }
        const value = domain.fromInput(raw.text);
        return { kind: 'const', value, param: { text: domain.toParam(value), cast: domain.sqlType } };
      }
    }
  } catch (error) {
    if (!(error instanceof ValueInputError)) throw error;
    const code = raw.kind === 'string' && raw.param !== undefined ? 'where_param' : 'where_type';
    const prefix = raw.kind === 'string' && raw.param !== undefined ? `params[${raw.param}]: ` : '';
    const position = raw.kind === 'string' || raw.kind === 'number' ? raw.position : undefined;
    throw new WhereError(code, prefix + error.message, position === undefined ? { cause: error } : { position, cause: error });
  }
}

function castMatches(cast: NormalCast, column: ColumnInfo): boolean {
  if (cast.name === column.typeName) return true;
  // varchar compares as text in Postgres, so either cast means the same.
  return !cast.quoted && column.typeName === 'varchar' && cast.name === 'text';
}

export function columnsComparable(a: ColumnInfo, b: ColumnInfo): boolean {
  if (a.dims > 0 || b.dims > 0) return false;
  if (a.typeName === b.typeName) return a.category !== 'E' || a.typeOid === b.typeOid;
  if (isExactNumber(a) && isExactNumber(b)) return true;
  const textual = new Set(['text', 'varchar']);
  return textual.has(a.typeName) && textual.has(b.typeName);
}

export function typeLabel(column: ColumnInfo): string {
  return column.dims > 0 ? `${column.typeName}[]` : column.typeName;
}
