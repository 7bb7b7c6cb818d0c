// Pinecone's metadata filter language (the subset our adapter and its tests use):
// { field: value } (implicit $eq), { field: { $eq | $ne | $gt | $gte | $lt | $lte | $in | $nin: … } },
// { $and: [...] }, { $or: [...] }. A list-of-strings metadata value matches $eq/$in when any element does.

export type MetadataValue = string | number | boolean | string[];
export type Metadata = Record<string, MetadataValue>;

export class FilterError extends Error {}

export function matchesFilter(metadata: Metadata, filter: unknown): boolean {
  if (filter === undefined || filter === null) return true;
  if (typeof filter !== 'object' || Array.isArray(filter)) throw new FilterError('filter must be an object');
  for (const [key, condition] of Object.entries(filter as Record<string, unknown>)) {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(condition)) throw new FilterError(`${key} takes an array`);
      const results = condition.map((c) => matchesFilter(metadata, c));
      if (key === '$and' ? !results.every(Boolean) : !results.some(Boolean)) return false;
      continue;
    }
    if (key.startsWith('$')) throw new FilterError(`unsupported operator ${key}`);
    const ops =
      condition !== null && typeof condition === 'object' && !Array.isArray(condition)
        ? (condition as Record<string, unknown>)
        : { $eq: condition };
    for (const [op, operand] of Object.entries(ops)) {
      if (!matchesOperator(metadata[key], op, operand)) return false;
    }
  }
  return true;
}

function matchesOperator(value: MetadataValue | undefined, op: string, operand: unknown): boolean {
  const values: Array<string | number | boolean> = value === undefined ? [] : Array.isArray(value) ? value : [value];
  switch (op) {
    case '$eq':
      return values.some((v) => v === operand);
    case '$ne':
      return !values.some((v) => v === operand);
    case '$in':
      if (!Array.isArray(operand)) throw new FilterError('$in takes an array');
      return values.some((v) => operand.includes(v));
    case '$nin':
      if (!Array.isArray(operand)) throw new FilterError('$nin takes an array');
      return !values.some((v) => operand.includes(v));
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      if (typeof operand !== 'number') throw new FilterError(`${op} takes a number`);
      const v = values[0];
      if (typeof v !== 'number') return false;
      if (op === '$gt') return v > operand;
      if (op === '$gte') return v >= operand;
      if (op === '$lt') return v < operand;
      return v <= operand;
    }
    default:
      throw new FilterError(`unsupported operator ${op}`);
  }
}
