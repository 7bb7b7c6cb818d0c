import { withTransaction } from '../mutations/with-transaction';
import { createHash, randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { registerMediaAsset } from '../media/media-assets-repo';
import type { MediaStore } from '../media/media-store';
import { reuseFraction, type ComponentDescriptor } from './component-descriptors';

export interface L3ComponentCacheOptions {
  sql: postgres.Sql;
  media: MediaStore;
  newId?: () => string;
}

export interface L3Lookup {
  found: ComponentDescriptor[];
  missing: ComponentDescriptor[];
  /** 0 = nothing reusable (a plain miss); > 0 = partial generation at (1 − reuse) of the cost. */
  reuse: number;
}

export interface L3ComponentCache {
  lookup(tenantId: string, components: readonly ComponentDescriptor[]): Promise<L3Lookup>;
  /** Stores rendered components (permanent), content-addressed; returns how many rows were new. */
  remember(tenantId: string, components: readonly ComponentDescriptor[], render: (c: ComponentDescriptor) => Uint8Array): Promise<number>;
}

/** L3: reusable characters/backgrounds/props in `component_cache` + the media store, kept forever. */
export function createL3ComponentCache(options: L3ComponentCacheOptions): L3ComponentCache {
  const { sql, media } = options;
  const newId = options.newId ?? randomUUID;
  return {
    async lookup(tenantId, components) {
      if (components.length === 0) return { found: [], missing: [], reuse: 0 };
      const keys = components.map((c) => c.key);
      const rows = await sql<{ descriptor_key: string; kind: string }[]>`
        update component_cache set use_count = use_count + 1, last_used_at = now()
         where tenant_id = ${tenantId} and descriptor_key = any(${keys}::text[])
        returning descriptor_key, kind`;
      const have = new Set(rows.map((r) => `${r.kind}:${r.descriptor_key}`));
      const found = components.filter((c) => have.has(`${c.kind}:${c.key}`));
      const missing = components.filter((c) => !have.has(`${c.kind}:${c.key}`));
      return { found, missing, reuse: reuseFraction(found) };
    },
    async remember(tenantId, components, render) {
      let created = 0;
      for (const c of components) {
        const stored = await media.put(render(c), 'image/png');
        await withTransaction(sql, async (tx) => {
          const asset = await registerMediaAsset({ sql: tx, media: stored, newId: newId() });
          const res = await tx`
            insert into component_cache (id, tenant_id, kind, descriptor_key, descriptor, media_asset_id)
            values (${newId()}, ${tenantId}, ${c.kind}, ${c.key}, ${tx.json({ words: c.words })}, ${asset.id})
            on conflict on constraint component_cache_descriptor_unique do nothing`;
          created += res.count;
        });
      }
      return created;
    },
  };
}

/** Deterministic stand-in bytes for a component render (the simulated provider's side product). */
export function simulatedComponentRender(c: ComponentDescriptor): Uint8Array {
  return createHash('sha256').update(`component:${c.key}`).digest();
}
