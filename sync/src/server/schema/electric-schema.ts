import type { SchemaColumn, ShapeSchema } from '../../protocol/messages';
import type { ColumnInfo } from './column-info';

/** The `electric-schema` header value for the selected columns. */
export function electricSchema(columns: readonly ColumnInfo[]): ShapeSchema {
  const out: ShapeSchema = {};
  for (const c of columns) {
    const col: SchemaColumn = { type: c.typeName };
    if (c.dims > 0) col.dims = c.dims;
    if (c.pkIndex !== undefined) col.pk_index = c.pkIndex;
    if (c.notNull) col.not_null = true;
    if (c.typeMod >= 0) {
      if (c.typeName === 'varchar' || c.typeName === 'bpchar') col.max_length = c.typeMod - 4;
      else if (c.typeName === 'numeric') {
        col.precision = ((c.typeMod - 4) >> 16) & 0xffff;
        col.scale = (c.typeMod - 4) & 0xffff;
      } else col.type_mod = c.typeMod;
    }
    out[c.name] = col;
  }
  return out;
}
