import { z } from 'zod';

/** A creative dial in [-1, 1] (lighting, camera angle, mood, pacing); zod 4 numbers already refuse NaN/±Infinity. */
export const unitRangeSchema = z.number().min(-1).max(1);
