// Routes a row change to the shapes it may affect without evaluating every shape: shapes whose filter has
// an equality constraint are indexed by (relation, column, value); the rest are scanned per relation.
import type { TextRow } from './row-filter';
import type { ShapeRuntime } from './shape-runtime';

interface RelationIndex {
  unindexed: Set<ShapeRuntime>;
  byColumn: Map<string, Map<string, Set<ShapeRuntime>>>;
  count: number;
}

export class RoutingIndex {
  readonly #relations = new Map<number, RelationIndex>();

  add(shape: ShapeRuntime): void {
    let rel = this.#relations.get(shape.table.oid);
    if (rel === undefined) {
      rel = { unindexed: new Set(), byColumn: new Map(), count: 0 };
      this.#relations.set(shape.table.oid, rel);
    }
    rel.count++;
    const eq = shape.filter.equalities[0];
    if (eq === undefined) {
      rel.unindexed.add(shape);
      return;
    }
    let byValue = rel.byColumn.get(eq.column);
    if (byValue === undefined) rel.byColumn.set(eq.column, (byValue = new Map()));
    let set = byValue.get(eq.value);
    if (set === undefined) byValue.set(eq.value, (set = new Set()));
    set.add(shape);
  }

  remove(shape: ShapeRuntime): void {
    const rel = this.#relations.get(shape.table.oid);
    if (rel === undefined) return;
    const eq = shape.filter.equalities[0];
    const removed = eq === undefined ? rel.unindexed.delete(shape) : (rel.byColumn.get(eq.column)?.get(eq.value)?.delete(shape) ?? false);
    if (removed) rel.count--;
    if (eq !== undefined && rel.byColumn.get(eq.column)?.get(eq.value)?.size === 0) rel.byColumn.get(eq.column)?.delete(eq.value);
    if (rel.count === 0) this.#relations.delete(shape.table.oid);
  }

  hasRelation(oid: number): boolean {
    return this.#relations.has(oid);
  }

  shapesOf(oid: number): ShapeRuntime[] {
    const rel = this.#relations.get(oid);
    if (rel === undefined) return [];
    const out = [...rel.unindexed];
    for (const byValue of rel.byColumn.values()) for (const set of byValue.values()) out.push(...set);
    return out;
  }

  /** Shapes that may hold the old row or want the new one. */
  candidates(oid: number, newRow: TextRow | null, oldRow: TextRow | null): Iterable<ShapeRuntime> {
    const rel = this.#relations.get(oid);
    if (rel === undefined) return [];
    if (rel.byColumn.size === 0) return rel.unindexed;
    const out = new Set<ShapeRuntime>(rel.unindexed);
    for (const [column, byValue] of rel.byColumn) {
      const n = newRow?.[column];
      const o = oldRow?.[column];
      if (n != null) byValue.get(n)?.forEach((s) => out.add(s));
      if (o != null && o !== n) byValue.get(o)?.forEach((s) => out.add(s));
      // A key-only old tuple lacks the column: the row may be anywhere in this relation's indexed shapes.
      if (oldRow !== null && o === undefined) for (const set of byValue.values()) set.forEach((s) => out.add(s));
    }
    return out;
  }
}
