import { HlcError } from '../clock/hlc';
import type { ServerClock } from '../clock/server-clock';
import { ApiError, isApiError } from '../errors/api-error';
import type { ValidMutation } from './apply-mutation';
import type { Mutation } from './mutation-schema';
import { TABLE_SPECS } from './syncable-tables';
import { validateFields, type Writer } from './validate-fields';

/** Checks that need no database: table, fields, values, HLC (clamped to now + bound). */
export function prevalidate(m: Mutation, clock: ServerClock, writer: Writer = 'client'): ValidMutation {
  const spec = TABLE_SPECS.get(m.table);
  if (!spec) throw new ApiError('unknown_table', `Unknown table ${JSON.stringify(m.table)}`, { table: m.table });
  let hlc: string;
  try {
    hlc = clock.receive(m.hlc);
  } catch (e) {
    if (e instanceof HlcError) throw new ApiError('invalid_hlc', e.message, { hlc: m.hlc }, { cause: e });
    throw e;
  }
  const fields = validateFields(spec, m.op, m.fields ?? {}, writer);
  return { mutationId: m.mutationId, spec, op: m.op, id: m.id, fields, hlc };
}

/** A wire mutation with the outcome of its database-free checks. */
export type Checked = { m: Mutation; valid: ValidMutation } | { m: Mutation; error: ApiError };

export function check(m: Mutation, clock: ServerClock, writer: Writer = 'client'): Checked {
  try {
    return { m, valid: prevalidate(m, clock, writer) };
  } catch (e) {
    if (!isApiError(e)) throw e;
    return { m, error: e };
  }
}

