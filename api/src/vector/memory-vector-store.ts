import { cosineSimilarity } from './similarity';
import type { SemanticMatch, StoredSemanticEntry, VectorStore } from './vector-store';

/**
 * Exact (brute-force) in-process store. Not for production (not durable, not shared between
 * processes): it is the reference the benchmark measures HNSW recall against, and lets a threshold
 * sweep replay a trace many times quickly with identical semantics (it passes the same contract).
 */
export function createMemoryVectorStore(): VectorStore {
  const tenants = new Map<string, Map<string, StoredSemanticEntry>>();
  const of = (tenantId: string): Map<string, StoredSemanticEntry> => {
    let m = tenants.get(tenantId);
    if (m === undefined) tenants.set(tenantId, (m = new Map()));
    return m;
  };
  return {
    name: 'memory',
    async upsert(entries) {
      for (const e of entries) {
        // Replacing an entry keeps its bookkeeping, as pgvector's ON CONFLICT update does.
        const before = of(e.tenantId).get(e.id);
        of(e.tenantId).set(e.id, { ...e, embedding: Float32Array.from(e.embedding), hitCount: before?.hitCount ?? 0, lastHitAt: before?.lastHitAt ?? null });
      }
    },
    async query(q) {
      const out: SemanticMatch[] = [];
      for (const e of of(q.tenantId).values()) {
        if (e.provider !== q.provider || e.brainId !== q.brainId || e.embedderId !== q.embedderId) continue;
        if (e.embedderVersion !== q.embedderVersion || e.modelVersion !== q.modelVersion || e.expiresAt <= q.now) continue;
        const similarity = cosineSimilarity(q.embedding, e.embedding);
        if (similarity >= q.minSimilarity) out.push({ entry: e, similarity });
      }
      return out.sort((a, b) => b.similarity - a.similarity).slice(0, q.topK);
    },
    async fetch(tenantId, ids) {
      return ids.flatMap((id) => {
        const e = of(tenantId).get(id);
        return e === undefined ? [] : [e];
      });
    },
    async recordHit(tenantId, id, at) {
      const e = of(tenantId).get(id);
      if (e === undefined) return;
      e.hitCount++;
      e.lastHitAt = Math.max(e.lastHitAt ?? at, at);
    },
    async delete(tenantId, ids) {
      for (const id of ids) of(tenantId).delete(id);
    },
    async deleteExpired(now, tenantIds) {
      let n = 0;
      for (const [tenantId, m] of tenants) {
        if (tenantIds !== undefined && !tenantIds.includes(tenantId)) continue;
        for (const [id, e] of m) if (e.expiresAt <= now && m.delete(id)) n++;
      }
      return n;
    },
    async count(tenantId) {
      if (tenantId !== undefined) return of(tenantId).size;
      let n = 0;
      for (const m of tenants.values()) n += m.size;
      return n;
    },
  };
}
