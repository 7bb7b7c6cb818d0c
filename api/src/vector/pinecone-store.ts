import type { Index, RecordMetadata } from '@pinecone-database/pinecone';
import type { CachedVideo, GenerationParameters } from '../generation/types';
import { similarityFromPineconeScore } from './similarity';
import type { SemanticEntry, SemanticMatch, SemanticQuery, StoredSemanticEntry, VectorStore } from './vector-store';

export interface PineconeStoreOptions {
  /** `new Pinecone({ apiKey }).index({ host })` — an index created with metric "cosine". */
  index: Index;
  /** Records per upsert request (Pinecone caps a request at 2 MB / 1000 records). Default 100. */
  batchSize?: number;
}

/**
 * L2 on Pinecone. One namespace per tenant (isolation, and deletes/sweeps stay per tenant); scope and
 * expiry are metadata filters. Pinecone metadata is flat (strings, numbers, booleans, string lists), so
 * parameters and the result are stored as JSON strings and a null brain as ''.
 */
export function createPineconeStore(options: PineconeStoreOptions): VectorStore {
  const { index } = options;
  const batchSize = options.batchSize ?? 100;
  /** Per entry: the last pending hit update, so the next one reads what it wrote. */
  const hitChains = new Map<string, Promise<void>>();
  return {
    name: 'pinecone',
    async upsert(entries) {
      const byTenant = new Map<string, SemanticEntry[]>();
      for (const e of entries) {
        const list = byTenant.get(e.tenantId) ?? [];
        list.push(e);
        byTenant.set(e.tenantId, list);
      }
      for (const [tenantId, list] of byTenant) {
        for (let i = 0; i < list.length; i += batchSize) {
          const records = list.slice(i, i + batchSize).map((e) => ({ id: e.id, values: Array.from(e.embedding), metadata: toMetadata(e) }));
          await index.namespace(tenantId).upsert({ records });
        }
      }
    },
    async query(q: SemanticQuery): Promise<SemanticMatch[]> {
      const res = await index.namespace(q.tenantId).query({
        vector: Array.from(q.embedding),
        topK: q.topK,
        includeMetadata: true,
        filter: {
          $and: [
            { provider: { $eq: q.provider } },
            { brainId: { $eq: q.brainId ?? '' } },
            { embedderId: { $eq: q.embedderId } },
            { embedderVersion: { $eq: q.embedderVersion } },
            { modelVersion: { $eq: q.modelVersion } },
            { expiresAt: { $gt: q.now } },
          ],
        },
      });
      return res.matches
        .filter((m) => m.metadata !== undefined && m.score !== undefined)
        .map((m) => ({
          entry: fromMetadata(m.id, q.tenantId, m.metadata as RecordMetadata, new Float32Array(0)),
          similarity: similarityFromPineconeScore(m.score as number),
        }))
        .filter((m) => m.similarity >= q.minSimilarity);
    },
    async fetch(tenantId, ids) {
      if (ids.length === 0) return [];
      const res = await index.namespace(tenantId).fetch({ ids: [...ids] });
      return Object.values(res.records)
        .filter((r) => r.metadata !== undefined)
        .map((r) => fromMetadata(r.id, tenantId, r.metadata as RecordMetadata, Float32Array.from(r.values ?? [])));
    },
    recordHit(tenantId, id, at) {
      // Pinecone has no atomic increment: read the count, write count + 1 (a metadata-only update). Hits
      // of one entry are chained in this process so none is lost here; two API processes hitting the same
      // entry at the same instant may still count once (the bookkeeping is advisory, not billing).
      const key = `${tenantId}/${id}`;
      const run = (hitChains.get(key) ?? Promise.resolve()).then(async () => {
        const ns = index.namespace(tenantId);
        const m = (await ns.fetch({ ids: [id] })).records[id]?.metadata;
        if (m === undefined) return;
        const { hitCount, lastHitAt } = bookkeeping(m);
        await ns.update({ id, metadata: { hitCount: hitCount + 1, lastHitAt: Math.max(lastHitAt ?? at, at) } });
      });
      const settled = run.catch(() => undefined);
      hitChains.set(key, settled);
      void settled.then(() => {
        if (hitChains.get(key) === settled) hitChains.delete(key);
      });
      return run;
    },
    async delete(tenantId, ids) {
      if (ids.length === 0) return;
      await index.namespace(tenantId).deleteMany({ ids: [...ids] });
    },
    async deleteExpired(now, tenantIds) {
      const stats = await index.describeIndexStats();
      const names = tenantIds ?? Object.keys(stats.namespaces ?? {});
      let removed = 0;
      for (const tenantId of names) {
        // Pinecone's delete-by-filter returns no count; measure it with a filtered stats call first.
        const filter = { expiresAt: { $lte: now } };
        const before = await index.describeIndexStats({ filter });
        removed += before.namespaces?.[tenantId]?.recordCount ?? 0;
        await index.namespace(tenantId).deleteMany({ filter });
      }
      return removed;
    },
    async count(tenantId) {
      const stats = await index.describeIndexStats();
      if (tenantId === undefined) return stats.totalRecordCount ?? 0;
      return stats.namespaces?.[tenantId]?.recordCount ?? 0;
    },
  };
}

function toMetadata(e: SemanticEntry): RecordMetadata {
  return {
    provider: e.provider,
    brainId: e.brainId ?? '',
    embedderId: e.embedderId,
    embedderVersion: e.embedderVersion,
    modelVersion: e.modelVersion,
    prompt: e.prompt,
    normalizedPrompt: e.normalizedPrompt,
    salientTokens: e.salientTokens,
    parameters: JSON.stringify(e.parameters),
    result: JSON.stringify(e.result),
    createdAt: e.createdAt,
    expiresAt: e.expiresAt,
  };
}

/** Hit bookkeeping lives in metadata too, absent until the first hit (metadata cannot hold null). */
function bookkeeping(m: RecordMetadata): { hitCount: number; lastHitAt: number | null } {
  return { hitCount: typeof m.hitCount === 'number' ? m.hitCount : 0, lastHitAt: typeof m.lastHitAt === 'number' ? m.lastHitAt : null };
}

function fromMetadata(id: string, tenantId: string, m: RecordMetadata, embedding: Float32Array): StoredSemanticEntry {
  return {
    ...bookkeeping(m),
    id,
    tenantId,
    provider: String(m.provider),
    brainId: m.brainId === '' ? null : String(m.brainId),
    embedderId: String(m.embedderId),
    embedderVersion: String(m.embedderVersion),
    modelVersion: String(m.modelVersion),
    prompt: String(m.prompt),
    normalizedPrompt: String(m.normalizedPrompt),
    salientTokens: Array.isArray(m.salientTokens) ? m.salientTokens.map(String) : [],
    parameters: JSON.parse(String(m.parameters)) as GenerationParameters,
    result: JSON.parse(String(m.result)) as CachedVideo,
    embedding,
    createdAt: Number(m.createdAt),
    expiresAt: Number(m.expiresAt),
  };
}
