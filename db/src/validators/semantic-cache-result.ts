import { z } from 'zod';

/** semantic_cache_entries.result: what a hit hands back instead of generating again. Server-written. */
export const semanticCacheResultSchema = z.strictObject({
  video_url: z.string().min(1),
  thumbnail_url: z.string().min(1).optional(),
  media_asset_id: z.uuid().optional(),
  cost_usd: z.number().min(0),
  generation_ms: z.int().min(0).optional(),
});
export type SemanticCacheResult = z.infer<typeof semanticCacheResultSchema>;
