// zod validators: JSON column shapes, vectors, per-table drizzle-zod schemas, synced-table metadata.
export { MODEL_PROVIDERS, modelProviderSchema, type ModelProvider } from './model-provider';
export { unitRangeSchema } from './unit-range';
export { sceneParametersSchema, type SceneParameters } from './scene-parameters';
export { projectSettingsSchema, ASPECT_RATIOS, RESOLUTIONS, type ProjectSettings } from './project-settings';
export { userSettingsSchema, type UserSettings } from './user-settings';
export { characterAppearanceSchema, type CharacterAppearance } from './character-appearance';
export { brainParametersSchema, type BrainParameters } from './brain-parameters';
export { beatSchema, beatsSchema, type Beat } from './beat';
export { semanticCacheResultSchema, type SemanticCacheResult } from './semantic-cache-result';
export { vectorSchema } from './vector';
export { fractionalKeySchema } from './fractional-key';
export * from './table-schemas';
export * from './synced-tables';
