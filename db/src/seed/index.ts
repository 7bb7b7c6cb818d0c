export { runSeed, type RunSeedOptions, type RunSeedResult } from './run-seed';
export { seedDemo, type SeedDemoOptions, type SeedDemoResult } from './seed-demo';
export { seedScale, type SeedScaleOptions, type SeedScaleResult } from './seed-scale';
export { SeedError, type SeedErrorCode } from './seed-error';
export {
  buildDemoData,
  demoUserId,
  DEFAULT_SEED,
  DEMO_USER_EMAIL,
  STUDIO_USER_EMAIL,
  DEMO_GRANT_CREDITS,
  type DemoData,
} from './demo-data';
export { ScaleData, scaleLayout, ROWS_PER_PROJECT, type ScaleLayout } from './scale-data';
export { FORMAT_TEMPLATES, type FormatTemplateSpec } from './format-templates';
export { MARKETPLACE_BRAINS, STYLE_AXES, type BrainSpec } from './marketplace-brains';
export { seedUuid, seedTime, SEED_EPOCH_MS } from './seed-ids';
export { prng, rowPrng, hash32, type Prng } from './prng';
export { clusteredSpace, clusteredVector, normalize, vectorArray, type ClusteredSpace } from './vectors';
export { copyRows, type CopyRowsOptions } from './copy-rows';
