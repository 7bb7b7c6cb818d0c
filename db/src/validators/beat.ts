import { z } from 'zod';

/**
 * One beat of a format template. Placed either by `position` (fraction of the story, 0..1) or by `act`
 * (1-based), at least one of them; L4 predictive caching reads `typical_prompt`.
 */
export const beatSchema = z
  .strictObject({
    key: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase slug').max(64),
    name: z.string().min(1).max(200),
    description: z.string().max(2000),
    position: z.number().min(0).max(1).optional(),
    act: z.int().min(1).max(10).optional(),
    typical_prompt: z.string().max(2000).optional(),
  })
  .refine((beat) => beat.position !== undefined || beat.act !== undefined, {
    message: 'a beat needs position (0..1) or act',
    path: ['position'],
  });
export type Beat = z.infer<typeof beatSchema>;

/** format_templates.beats: non-empty, keys unique within the template. */
export const beatsSchema = z
  .array(beatSchema)
  .min(1)
  .max(200)
  .refine((beats) => new Set(beats.map((b) => b.key)).size === beats.length, { message: 'beat keys must be unique' });
