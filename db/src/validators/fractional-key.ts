import { z } from 'zod';

/**
 * A fractional-indexing key (scenes.position): base-62 digits, compared bytewise (the column is
 * COLLATE "C"). The shortest key the library produces is two characters ("a0").
 */
export const fractionalKeySchema = z
  .string()
  .min(2)
  .max(200)
  .regex(/^[0-9A-Za-z]+$/, 'a fractional-indexing key uses only 0-9, A-Z, a-z');
