import { z } from 'zod';

const trait = z.string().max(500);

/** characters.appearance: free-text traits the prompt builder folds into every scene the character is in. */
export const characterAppearanceSchema = z.strictObject({
  age: z.int().min(0).max(200).optional(),
  gender: trait.optional(),
  hair: trait.optional(),
  eyes: trait.optional(),
  skin_tone: trait.optional(),
  build: trait.optional(),
  height: trait.optional(),
  clothing: trait.optional(),
  distinguishing_features: z.array(trait).max(20).optional(),
  style_notes: z.string().max(2000).optional(),
});
export type CharacterAppearance = z.infer<typeof characterAppearanceSchema>;
