import type { BrainParameters } from '../validators/brain-parameters';
import { prng, hash32 } from './prng';
import { normalize, randomUnit, vectorArray } from './vectors';

/** Named visual qualities; each brain's style vector is a weighted mix of their directions. */
export const STYLE_AXES = ['darkness', 'contrast', 'saturation', 'realism', 'motion', 'warmth', 'whimsy', 'grain', 'neon', 'linework'] as const;
export type StyleAxis = (typeof STYLE_AXES)[number];

export interface BrainSpec {
  slug: string;
  name: string;
  description: string;
  /** Weights on STYLE_AXES in [-1, 1]; brains with similar weights get nearby style vectors. */
  style: Partial<Record<StyleAxis, number>>;
  parameters: BrainParameters;
  priceCredits: number;
}

/**
 * Marketplace brains in three families (noir, anime, documentary) plus two loners, so a similarity
 * search from any brain finds its sibling first — the property the brain-matching UI and tests rely on.
 */
export const MARKETPLACE_BRAINS: readonly BrainSpec[] = [
  {
    slug: 'film-noir',
    name: 'Film Noir',
    description: 'Hard shadows, venetian blinds, rain-slick streets, black and white.',
    style: { darkness: 1, contrast: 1, saturation: -1, realism: 0.5, grain: 0.6, warmth: -0.3 },
    parameters: { lighting: -0.8, camera_angle: -0.3, mood: -0.7, pacing: -0.2, style_keywords: ['film noir', 'chiaroscuro', 'black and white', 'venetian blind shadows'], negative_prompt: 'bright colours, sunshine' },
    priceCredits: 0,
  },
  {
    slug: 'neo-noir',
    name: 'Neo-Noir Thriller',
    description: 'Noir in colour: sodium-vapour streets, teal and orange, moral murk.',
    style: { darkness: 0.8, contrast: 0.8, saturation: -0.2, realism: 0.6, grain: 0.3, warmth: 0.1, neon: 0.3 },
    parameters: { lighting: -0.6, camera_angle: -0.2, mood: -0.6, pacing: 0.1, style_keywords: ['neo-noir', 'teal and orange', 'night city', 'anamorphic'] },
    priceCredits: 40,
  },
  {
    slug: 'anime-action',
    name: 'Anime Action',
    description: 'Bold linework, speed lines, saturated skies, dynamic camera.',
    style: { saturation: 0.9, realism: -1, motion: 1, linework: 1, contrast: 0.5, whimsy: 0.3 },
    parameters: { lighting: 0.4, camera_angle: 0.6, mood: 0.5, pacing: 0.9, style_keywords: ['anime', 'cel shading', 'speed lines', 'dynamic angles'] },
    priceCredits: 60,
  },
  {
    slug: 'anime-pastoral',
    name: 'Hand-painted Anime Pastoral',
    description: 'Watercolour backgrounds, summer clouds, gentle everyday magic.',
    style: { saturation: 0.7, realism: -0.8, motion: -0.2, linework: 0.8, warmth: 0.7, whimsy: 0.8 },
    parameters: { lighting: 0.7, camera_angle: 0, mood: 0.6, pacing: -0.4, style_keywords: ['hand-painted anime', 'watercolour backgrounds', 'cumulus clouds', 'countryside'] },
    priceCredits: 60,
  },
  {
    slug: 'nature-documentary',
    name: 'Nature Documentary',
    description: 'Telephoto wildlife, golden hour, patient observational camera.',
    style: { realism: 1, motion: -0.1, warmth: 0.3, saturation: 0.2, grain: 0.2 },
    parameters: { lighting: 0.5, camera_angle: 0, mood: 0.2, pacing: -0.6, style_keywords: ['nature documentary', 'telephoto', 'golden hour', '4k wildlife'] },
    priceCredits: 20,
  },
  {
    slug: 'verite-documentary',
    name: 'Cinéma Vérité',
    description: 'Handheld, available light, real people in real places.',
    style: { realism: 1, motion: 0.3, grain: 0.5, warmth: 0.1 },
    parameters: { lighting: 0, camera_angle: 0, mood: 0, pacing: 0.2, style_keywords: ['handheld', 'available light', 'documentary', '16mm'] },
    priceCredits: 20,
  },
  {
    slug: 'cyberpunk-neon',
    name: 'Cyberpunk Neon',
    description: 'Holograms, magenta and cyan, rain and chrome.',
    style: { neon: 1, darkness: 0.5, saturation: 1, contrast: 0.7, realism: 0.2, motion: 0.4 },
    parameters: { lighting: -0.2, camera_angle: 0.3, mood: -0.1, pacing: 0.6, style_keywords: ['cyberpunk', 'neon', 'holograms', 'rain'] },
    priceCredits: 80,
  },
  {
    slug: 'pastel-whimsy',
    name: 'Pastel Whimsy',
    description: 'Symmetrical frames, pastel palettes, deadpan charm.',
    style: { whimsy: 1, warmth: 0.6, saturation: 0.4, contrast: -0.4, motion: -0.6 },
    parameters: { lighting: 0.6, camera_angle: 0, mood: 0.4, pacing: -0.3, style_keywords: ['pastel palette', 'symmetrical composition', 'whimsical'] },
    priceCredits: 40,
  },
];

/**
 * The brain's 128-d style vector: Σ weight·axis + a little brain-specific noise, unit length. The axes
 * are fixed random unit vectors (nearly orthogonal in 128-d), derived from the seed.
 */
export function brainStyleVector(seed: string, spec: BrainSpec, dims: number): number[] {
  const axisRng = prng(hash32(`${seed}/style-axes`));
  const axes = STYLE_AXES.map(() => randomUnit(axisRng, dims));
  const v = new Float64Array(dims);
  STYLE_AXES.forEach((axis, a) => {
    const w = spec.style[axis] ?? 0;
    const direction = axes[a];
    if (direction === undefined || w === 0) return;
    for (let i = 0; i < dims; i++) v[i] = (v[i] ?? 0) + w * (direction[i] ?? 0);
  });
  const noise = prng(hash32(`${seed}/brain-noise/${spec.slug}`));
  for (let i = 0; i < dims; i++) v[i] = (v[i] ?? 0) + 0.05 * noise.normal();
  return vectorArray(normalize(v));
}
