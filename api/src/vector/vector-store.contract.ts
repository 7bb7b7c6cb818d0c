// One contract, every VectorStore implementation (STYLE.md §8). Call from a *.test.ts with a factory.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeEntry, vectorAt } from './testing/semantic-entry-fixture';
import type { SemanticQuery, VectorStore } from './vector-store';

const NOW = 1_700_000_000_000;

function scopeOf(tenantId: string): Omit<SemanticQuery, 'embedding'> {
  return { tenantId, provider: 'simulated', brainId: null, embedderId: 'test', embedderVersion: '1', modelVersion: 'm1', topK: 5, now: NOW + 1000, minSimilarity: -1 };
}

export function vectorStoreContract(name: string, getStore: () => VectorStore): void {
  describe(`VectorStore contract: ${name}`, () => {
    it('ranks by cosine similarity on the one shared scale (1 = identical)', async () => {
      const store = getStore();
      const tenantId = randomUUID();
      const near = makeEntry({ tenantId, embedding: vectorAt(0.98) });
      const far = makeEntry({ tenantId, embedding: vectorAt(0.6, 2) });
      await store.upsert([far, near]);
      const matches = await store.query({ ...scopeOf(tenantId), embedding: vectorAt(1) });
      expect(matches.map((m) => m.entry.id)).toEqual([near.id, far.id]);
      expect(matches[0]?.similarity).toBeCloseTo(0.98, 4);
      expect(matches[1]?.similarity).toBeCloseTo(0.6, 4);
      expect(matches[0]?.entry.result).toEqual(near.result);
      expect(matches[0]?.entry.salientTokens).toEqual(['color:red']);
      expect(matches[0]?.entry.parameters).toEqual(near.parameters);
    });

    it('applies minSimilarity as a cosine threshold', async () => {
      const store = getStore();
      const tenantId = randomUUID();
      await store.upsert([makeEntry({ tenantId, embedding: vectorAt(0.96) }), makeEntry({ tenantId, embedding: vectorAt(0.94, 3) })]);
      const matches = await store.query({ ...scopeOf(tenantId), embedding: vectorAt(1), minSimilarity: 0.95 });
      expect(matches).toHaveLength(1);
      expect(matches[0]?.similarity).toBeCloseTo(0.96, 4);
    });

    it('never returns another tenant, provider, brain, embedder version or model version', async () => {
      const store = getStore();
      const tenantId = randomUUID();
      const brainId = randomUUID();
      const good = makeEntry({ tenantId, brainId });
      await store.upsert([
        good,
        makeEntry({ tenantId: randomUUID(), brainId }),
        makeEntry({ tenantId, brainId, provider: 'runway' }),
        makeEntry({ tenantId, brainId: null }),
        makeEntry({ tenantId, brainId: randomUUID() }),
        makeEntry({ tenantId, brainId, embedderVersion: '2' }),
        makeEntry({ tenantId, brainId, modelVersion: 'm2' }),
      ]);
      const matches = await store.query({ ...scopeOf(tenantId), brainId, embedding: vectorAt(1), topK: 10 });
      expect(matches.map((m) => m.entry.id)).toEqual([good.id]);
    });

    it('hides expired entries and the sweeper deletes them', async () => {
      const store = getStore();
      const tenantId = randomUUID();
      const live = makeEntry({ tenantId, expiresAt: NOW + 10_000 });
      const dead = makeEntry({ tenantId, expiresAt: NOW - 1 });
      await store.upsert([live, dead]);
      const matches = await store.query({ ...scopeOf(tenantId), embedding: vectorAt(1) });
      expect(matches.map((m) => m.entry.id)).toEqual([live.id]);
      expect(await store.count(tenantId)).toBe(2);
      expect(await store.deleteExpired(NOW, [tenantId])).toBe(1);
      expect(await store.count(tenantId)).toBe(1);
    });

    it('upserts in batches, replaces by id, fetches and deletes by id', async () => {
      const store = getStore();
      const tenantId = randomUUID();
      const entries = Array.from({ length: 250 }, (_, i) => makeEntry({ tenantId, embedding: vectorAt(0.5 + i / 1000, 4 + i) }));
      await store.upsert(entries);
      expect(await store.count(tenantId)).toBe(250);
      const first = entries[0]!;
      await store.upsert([{ ...first, prompt: 'replaced' }]);
      expect(await store.count(tenantId)).toBe(250);
      const [fetched] = await store.fetch(tenantId, [first.id]);
      expect(fetched?.prompt).toBe('replaced');
      expect(Array.from(fetched?.embedding ?? []).slice(0, 1)[0]).toBeCloseTo(0.5, 5);
      expect(fetched?.embedding).toHaveLength(1536);
      await store.delete(tenantId, entries.slice(0, 50).map((e) => e.id));
      expect(await store.count(tenantId)).toBe(200);
      expect(await store.fetch(tenantId, [first.id])).toEqual([]);
    });

    it('records hits: count and latest hit time, per tenant, unknown ids ignored', async () => {
      const store = getStore();
      const tenantId = randomUUID();
      const hit = makeEntry({ tenantId });
      const untouched = makeEntry({ tenantId });
      await store.upsert([hit, untouched]);
      expect((await store.fetch(tenantId, [hit.id]))[0]).toMatchObject({ hitCount: 0, lastHitAt: null });
      await store.recordHit(tenantId, hit.id, NOW + 5000);
      // Out of order (a slower concurrent request): the count grows, the last hit stays the latest.
      await store.recordHit(tenantId, hit.id, NOW + 3000);
      await store.recordHit(randomUUID(), hit.id, NOW + 9000);
      await store.recordHit(tenantId, randomUUID(), NOW + 9000);
      const byId = new Map((await store.fetch(tenantId, [hit.id, untouched.id])).map((e) => [e.id, e]));
      expect(byId.get(hit.id)).toMatchObject({ hitCount: 2, lastHitAt: NOW + 5000, prompt: hit.prompt });
      expect(byId.get(untouched.id)).toMatchObject({ hitCount: 0, lastHitAt: null });
      // Concurrent hits through one store all count (Pinecone: serialised per entry in the process).
      await Promise.all(Array.from({ length: 5 }, (_, i) => store.recordHit(tenantId, untouched.id, NOW + i)));
      expect((await store.fetch(tenantId, [untouched.id]))[0]).toMatchObject({ hitCount: 5, lastHitAt: NOW + 4 });
      // Bookkeeping changes nothing the query sees (for pgvector: the row update keeps it in the index).
      const matches = await store.query({ ...scopeOf(tenantId), embedding: vectorAt(1) });
      expect(matches.map((m) => m.entry.id).sort()).toEqual([hit.id, untouched.id].sort());
    });
  });
}
