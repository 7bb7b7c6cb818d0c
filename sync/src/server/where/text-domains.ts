// Comparison domains whose values are strings or booleans: text/varchar/bpchar, bool, uuid, enums.
import { ValueInputError, type Domain } from './domain';
import { parseBoolInput, parseUuidInput } from './scalar-input';
import { compareCodePoints } from './text-order';

export function textDomain(typeName: string): Domain<string> {
  // bpchar comparisons ignore trailing spaces (the text output keeps the padding).
  const norm = typeName === 'bpchar' ? (s: string) => s.replace(/ +$/, '') : (s: string) => s;
  return {
    label: typeName,
    ordered: true,
    sqlType: `"${typeName}"`,
    text: true,
    fromRow: norm,
    fromInput: norm,
    compare: compareCodePoints,
    toParam: (value) => value,
    ...(typeName === 'bpchar' ? {} : { routingKey: (value: string) => value }),
  };
}

export const boolDomain: Domain<boolean> = {
  label: 'bool',
  ordered: true,
  sqlType: '"bool"',
  text: false,
  fromRow: (text) => (text === 't' ? true : text === 'f' ? false : parseBoolInput(text)),
  fromInput(text) {
    const v = parseBoolInput(text);
    if (v === undefined) throw new ValueInputError(`invalid input syntax for type boolean: "${text}"`);
    return v;
  },
  fromBoolLiteral: (value) => value,
  compare: (a, b) => Number(a) - Number(b),
  toParam: (value) => (value ? 'true' : 'false'),
  routingKey: (value) => (value ? 't' : 'f'),
};

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const uuidDomain: Domain<string> = {
  label: 'uuid',
  ordered: true,
  sqlType: '"uuid"',
  text: false,
  // pgoutput and ::text print the canonical lower-case form; anything else goes through the full parser.
  fromRow: (text) => (CANONICAL_UUID.test(text) ? text : parseUuidInput(text)),
  fromInput(text) {
    const v = parseUuidInput(text);
    if (v === undefined) throw new ValueInputError(`invalid input syntax for type uuid: "${text}"`);
    return v;
  },
  compare: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  toParam: (value) => value,
  routingKey: (value) => value,
};

/** Enums: equality on the label only; the constant's type is left for Postgres to infer (no schema here). */
export const enumDomain: Domain<string> = {
  label: 'enum',
  ordered: false,
  sqlType: undefined,
  text: false,
  fromRow: (text) => text,
  fromInput: (text) => text,
  compare: compareCodePoints,
  toParam: (value) => value,
  routingKey: (value) => value,
};
