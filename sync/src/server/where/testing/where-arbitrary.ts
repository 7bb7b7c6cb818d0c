// fast-check arbitraries for random where clauses over TEST_COLUMNS, rendered as client text + params,
// with literals in every form a client may write them (numbers, strings, $n params, casts, odd spellings).
import fc from 'fast-check';
import { TEST_COLUMNS, TEXT_POOL, type TestColumn } from './where-test-table';

export type ConstSpec =
  | { form: 'number'; text: string }
  | { form: 'string'; text: string; cast?: string }
  | { form: 'param'; text: string }
  | { form: 'bool'; value: boolean }
  | { form: 'null' };

export type ExprSpec =
  | { kind: 'cmp'; column: string; op: string; value: ConstSpec; flip: boolean }
  | { kind: 'colcol'; left: string; op: string; right: string }
  | { kind: 'in'; column: string; values: ConstSpec[]; negated: boolean }
  | { kind: 'isnull'; column: string; negated: boolean }
  | { kind: 'like'; column: string; pattern: ConstSpec; op: string }
  | { kind: 'boolcol'; column: string }
  | { kind: 'between'; column: string; lo: ConstSpec; hi: ConstSpec; negated: boolean }
  | { kind: 'literal'; text: 'TRUE' | 'FALSE' | 'NULL' }
  | { kind: 'andor'; op: 'AND' | 'OR'; args: ExprSpec[]; parens: boolean[] }
  | { kind: 'not'; arg: ExprSpec; parens: boolean }
  | { kind: 'truth'; op: string; arg: ExprSpec; parens: boolean };

const TEXT_CHARS = ['a', 'b', 'A', 'Z', 'é', 'É', 'ß', '%', '_', '\\', ' ', "'", '日', '😀', '\uE000', '\uFFFD', '0'];

const byName = new Map(TEST_COLUMNS.map((c) => [c.name, c]));
const col = (name: string): TestColumn => byName.get(name) as TestColumn;

const ORDERED_OPS = ['=', '<>', '!=', '<', '<=', '>', '>='];
const comparable = TEST_COLUMNS.filter((c) => c.kind !== 'json');
const ordered = comparable.filter((c) => c.kind !== 'enum');
const textual = TEST_COLUMNS.filter((c) => c.kind === 'text' || c.kind === 'bpchar');

const EXTRA_LITERALS: Readonly<Record<string, readonly string[]>> = {
  int: ['1.5', '2.0', '-0.5', '3'],
  numeric: ['1.5', '1.50', '-0.5', '2', '0.0010', '123456789012345678901234567890.5'],
  float: ['1.1', '0.1', '1.5', '16777217', '-2.25', '0.30000000000000004'],
};
const STRING_FORMS: Readonly<Record<string, readonly string[]>> = {
  int: [' 3', '-1 ', '+2'],
  numeric: ['NaN', 'Infinity', '-Infinity', ' 1.5 ', '1e2', '.5'],
  float: ['NaN', 'Infinity', '-inf', '1.1', '0.1', '1e-300', '-0'],
  bool: ['t', 'true', 'yes', 'off', '0', 'F', ' on '],
  uuid: ['A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', 'a0eebc999c0b4ef8bb6d6bb9bd380a11', '0190a5b2-7c3d-7def-8abc-0123456789AB'],
  tstz: ['2024-01-01', '2024-01-01T00:00:00Z', '2024-01-01 11:00:00+01', '2023-12-31 23:00:00-01:00', 'infinity', '-infinity', '2024-01-01 10:00:00.5', '0044-03-15 10:00:00+00 BC'],
  ts: ['2024-01-01', '2024-01-01T10:00:00.5', '2024-01-01 10:00:00.5+05', 'infinity', '2023-12-31 23:00:00'],
  date: ['2024-01-01', '2024-02-29', 'infinity', '-infinity', '0001-01-01 BC', '1970-01-01'],
  bpchar: ['a', 'a  ', 'ab', ' a', ''],
};

/** A constant that Postgres accepts for `column`, in any of the forms a client can write. */
function constFor(column: TestColumn): fc.Arbitrary<ConstSpec> {
  const strings = [...column.pool, ...(STRING_FORMS[column.kind] ?? [])].filter((s) => column.kind !== 'int' || !/[.e]/i.test(s));
  const random = randomValue(column);
  const stringValue = random ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...strings) }, { weight: 1, arbitrary: random }) : fc.constantFrom(...strings);
  const forms: Array<fc.Arbitrary<ConstSpec>> = [
    stringValue.map((text) => ({ form: 'string', text })),
    stringValue.map((text) => ({ form: 'param', text })),
  ];
  if (column.kind === 'int' || column.kind === 'numeric' || column.kind === 'float') {
    const numbers = [...column.pool, ...(EXTRA_LITERALS[column.kind] ?? [])].filter((s) => /^-?\d+(\.\d+)?$/.test(s));
    forms.push(fc.constantFrom(...numbers).map((text) => ({ form: 'number', text })));
  }
  if (column.kind === 'bool') forms.push(fc.boolean().map((value) => ({ form: 'bool', value })));
  if (column.kind !== 'enum' && column.kind !== 'bpchar' && column.sqlType !== 'varchar(10)') {
    forms.push(stringValue.map((text) => ({ form: 'string', text, cast: column.sqlType })));
  }
  return fc.oneof({ weight: 12, arbitrary: fc.oneof(...forms) }, { weight: 1, arbitrary: fc.constant<ConstSpec>({ form: 'null' }) });
}

const LIKE_ALPHABET = ['a', 'b', 'A', 'é', 'É', '%', '_', '\\%', '\\_', '\\\\', ' ', '日', '😀', "'"];
const likePattern: fc.Arbitrary<ConstSpec> = fc
  .tuple(fc.array(fc.constantFrom(...LIKE_ALPHABET, ...TEXT_POOL.slice(0, 6)), { maxLength: 4 }), fc.boolean())
  .map(([parts, asParam]) => ({ form: asParam ? 'param' : 'string', text: parts.join('') }));

const COLCOL_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['i4', 'i8'], ['i2', 'num'], ['num', 'i4'], ['t', 'vc'], ['vc', 't'], ['f8', 'f8'], ['tz', 'tz'], ['d', 'd'], ['u', 'u'], ['b', 'b'], ['mood', 'mood'],
];

const leaf: fc.Arbitrary<ExprSpec> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...comparable).chain((c) =>
      fc.record({
        kind: fc.constant('cmp' as const),
        column: fc.constant(c.name),
        op: c.kind === 'enum' ? fc.constantFrom('=', '<>') : fc.constantFrom(...ORDERED_OPS),
        value: constFor(c),
        flip: fc.boolean(),
      })) },
  { weight: 1, arbitrary: fc.constantFrom(...COLCOL_PAIRS).chain(([left, right]) =>
      fc.record({ kind: fc.constant('colcol' as const), left: fc.constant(left), right: fc.constant(right), op: left === 'mood' ? fc.constantFrom('=', '<>') : fc.constantFrom(...ORDERED_OPS) })) },
  { weight: 3, arbitrary: fc.constantFrom(...comparable).chain((c) =>
      fc.record({ kind: fc.constant('in' as const), column: fc.constant(c.name), values: fc.array(constFor(c), { minLength: 1, maxLength: 4 }), negated: fc.boolean() })) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('isnull' as const), column: fc.constantFrom(...TEST_COLUMNS.map((c) => c.name)), negated: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('like' as const), column: fc.constantFrom(...textual.map((c) => c.name)), pattern: likePattern, op: fc.constantFrom('LIKE', 'NOT LIKE', 'ILIKE', 'NOT ILIKE') }) },
  { weight: 1, arbitrary: fc.constant<ExprSpec>({ kind: 'boolcol', column: 'b' }) },
  { weight: 2, arbitrary: fc.constantFrom(...ordered).chain((c) =>
      fc.record({ kind: fc.constant('between' as const), column: fc.constant(c.name), lo: constFor(c), hi: constFor(c), negated: fc.boolean() })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('literal' as const), text: fc.constantFrom('TRUE' as const, 'FALSE' as const, 'NULL' as const) }) },
);

export const whereSpec: fc.Arbitrary<ExprSpec> = fc.letrec<{ expr: ExprSpec }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ kind: fc.constant('andor' as const), op: fc.constantFrom('AND' as const, 'OR' as const), args: fc.array(tie('expr'), { minLength: 2, maxLength: 3 }), parens: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('not' as const), arg: tie('expr'), parens: fc.boolean() }),
    fc.record({ kind: fc.constant('truth' as const), op: fc.constantFrom('IS TRUE', 'IS NOT TRUE', 'IS FALSE', 'IS NOT FALSE'), arg: tie('expr'), parens: fc.boolean() }),
  ),
})).expr;

/** Renders a spec as the client would send it: where text plus `params` ('1' → value). */
export function renderSpec(spec: ExprSpec): { where: string; params: Record<string, string>; paramList: string[] } {
  const paramList: string[] = [];
  const ident = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`);
  const constant = (c: ConstSpec): string => {
    switch (c.form) {
      case 'number':
        return c.text;
      case 'string':
        return `'${c.text.replaceAll("'", "''")}'${c.cast ? `::${c.cast}` : ''}`;
      case 'param':
        paramList.push(c.text);
        return `$${paramList.length}`;
      case 'bool':
        return c.value ? 'true' : 'false';
      case 'null':
        return 'NULL';
    }
  };
  const composite = (s: ExprSpec) => s.kind === 'andor' || s.kind === 'not' || s.kind === 'truth' || s.kind === 'between';
  // Precedence traps are the point: children skip parentheses when the spec says so and Postgres's own
  // reading of the text is compared with ours.
  const wrap = (s: ExprSpec, parens: boolean) => (parens || composite(s) ? `(${render(s)})` : render(s));
  const render = (s: ExprSpec): string => {
    switch (s.kind) {
      case 'cmp': {
        const c = constant(s.value);
        return s.flip ? `${c} ${flipOp(s.op)} ${ident(s.column)}` : `${ident(s.column)} ${s.op} ${c}`;
      }
      case 'colcol':
        return `${ident(s.left)} ${s.op} ${ident(s.right)}`;
      case 'in':
        return `${ident(s.column)} ${s.negated ? 'NOT IN' : 'IN'} (${s.values.map(constant).join(', ')})`;
      case 'isnull':
        return `${ident(s.column)} IS ${s.negated ? 'NOT ' : ''}NULL`;
      case 'like':
        return `${ident(s.column)} ${s.op} ${constant(s.pattern)}`;
      case 'boolcol':
        return ident(s.column);
      case 'between':
        return `${ident(s.column)} ${s.negated ? 'NOT BETWEEN' : 'BETWEEN'} ${constant(s.lo)} AND ${constant(s.hi)}`;
      case 'literal':
        return s.text;
      case 'andor':
        return s.args.map((a, i) => (a.kind === 'andor' || s.parens[i] ? `(${render(a)})` : render(a))).join(` ${s.op} `);
      case 'not':
        return `NOT ${wrap(s.arg, s.parens)}`;
      case 'truth':
        // Known parser limitation (refused with a 400, see build-where-node): `a = 1 IS TRUE` needs parentheses.
        return `${wrap(s.arg, s.parens || s.arg.kind === 'cmp' || s.arg.kind === 'colcol')} ${s.op}`;
    }
  };
  const where = render(spec);
  return { where, params: Object.fromEntries(paramList.map((v, i) => [String(i + 1), v])), paramList };
}

function flipOp(op: string): string {
  return ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, string>)[op] ?? op;
}

/** A row of text values (or null) drawn from each column's pool. */
export const rowSpec: fc.Arbitrary<Record<string, string | null>> = fc.record(
  Object.fromEntries(
    TEST_COLUMNS.map((c) => {
      const random = randomValue(c);
      const value = random ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...c.pool) }, { weight: 1, arbitrary: random }) : fc.constantFrom(...c.pool);
      return [c.name, fc.option(value, { freq: 7 })];
    }),
  ),
);

/** Values beyond the curated pools, valid input for the column's type (null: pools only). */
function randomValue(column: TestColumn): fc.Arbitrary<string> | null {
  switch (column.kind) {
    case 'int': {
      const bound = column.sqlType === 'int2' ? 32_767 : column.sqlType === 'int4' || column.name !== 'i8' ? 2_147_483_647 : Number.MAX_SAFE_INTEGER;
      return fc.oneof(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -bound, max: bound })).map(String);
    }
    case 'numeric':
      return fc
        .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.nat(6))
        .map(([neg, m, s]) => {
          const digits = m.toString().padStart(s + 1, '0');
          return `${neg ? '-' : ''}${digits.slice(0, digits.length - s)}${s > 0 ? `.${digits.slice(digits.length - s)}` : ''}`;
        });
    case 'float':
      return column.sqlType === 'float4'
        ? fc.float({ noNaN: true, noDefaultInfinity: true }).map((x) => String(Math.abs(x) < 1e-37 ? 0 : x))
        : fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => String(Math.abs(x) < 1e-307 ? 0 : x));
    case 'text':
      return fc.array(fc.constantFrom(...TEXT_CHARS), { maxLength: column.sqlType === 'varchar(10)' ? 10 : 6 }).map((cs) => cs.join(''));
    case 'tstz':
    case 'ts':
    case 'date':
      return fc
        .tuple(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.nat(23), fc.nat(59), fc.nat(59), fc.nat(999_999))
        .map(([y, mo, d, h, mi, sec, us]) => {
          const date = `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          if (column.kind === 'date') return date;
          const time = `${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(sec).padStart(2, '0')}.${String(us).padStart(6, '0')}`;
          return `${date} ${time}${column.kind === 'tstz' ? '+00' : ''}`;
        });
    default:
      return null;
  }
}
