import { z } from 'zod';

const finiteVector = z.array(z.number()).max(4096);
const k = z.int().min(1).max(100).default(10);

/** POST /v1/search/characters — by a character's face embedding or by a raw vector (512-d). */
export const characterSearchSchema = z
  .strictObject({ projectId: z.uuid(), characterId: z.uuid().optional(), vector: finiteVector.optional(), k, minSimilarity: z.number().min(-1).max(1).optional() })
  .refine((b) => (b.characterId === undefined) !== (b.vector === undefined), { message: 'give exactly one of characterId or vector', path: ['characterId'] });

/** POST /v1/search/characters/:id/consistency — how well a new face matches the character. */
export const consistencySchema = z.strictObject({ vector: finiteVector, threshold: z.number().min(-1).max(1).default(0.8) });

/** POST /v1/search/brains — by style vector (128-d) or another brain's; public ones and the caller's own. */
export const brainSearchSchema = z
  .strictObject({
    brainId: z.uuid().optional(),
    vector: finiteVector.optional(),
    k,
    filter: z.strictObject({ scope: z.enum(['all', 'public', 'mine']).default('all'), maxPriceCredits: z.int().min(0).optional() }).default({ scope: 'all' }),
  })
  .refine((b) => (b.brainId === undefined) !== (b.vector === undefined), { message: 'give exactly one of brainId or vector', path: ['brainId'] });
