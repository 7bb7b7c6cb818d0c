// drizzle-zod schemas for every table, with the JSON and vector columns refined by the hand-written
// schemas beside this file. Refinements are functions so drizzle-zod keeps nullable/optional wrappers.
import { createInsertSchema, createSelectSchema, createUpdateSchema } from 'drizzle-zod';
import { z } from 'zod';
import { BRAIN_STYLE_DIMENSIONS, brains } from '../schema/brains';
import { FACE_EMBEDDING_DIMENSIONS, characters } from '../schema/characters';
import { componentCache } from '../schema/component-cache';
import { creditLedger } from '../schema/credit-ledger';
import { formatTemplates } from '../schema/format-templates';
import { mediaAssets } from '../schema/media-assets';
import { processedMutations } from '../schema/processed-mutations';
import { projects } from '../schema/projects';
import { sceneVersions } from '../schema/scene-versions';
import { scenes } from '../schema/scenes';
import { PROMPT_EMBEDDING_DIMENSIONS, semanticCacheEntries } from '../schema/semantic-cache-entries';
import { tombstones } from '../schema/tombstones';
import { users } from '../schema/users';
import { beatsSchema } from './beat';
import { brainParametersSchema } from './brain-parameters';
import { characterAppearanceSchema } from './character-appearance';
import { fractionalKeySchema } from './fractional-key';
import { projectSettingsSchema } from './project-settings';
import { sceneParametersSchema } from './scene-parameters';
import { semanticCacheResultSchema } from './semantic-cache-result';
import { userSettingsSchema } from './user-settings';
import { vectorSchema } from './vector';

const fieldClocks = () => z.record(z.string(), z.string());
const name = () => z.string().min(1).max(500);
const longText = () => z.string().max(20_000);
const url = () => z.string().max(2048);

const usersRefine = {
  email: () => z.email().max(320),
  displayName: () => z.string().max(200),
  avatarUrl: url,
  settings: () => userSettingsSchema,
  creditsBalance: () => z.int().min(0),
  fieldClocks,
};
export const userInsertSchema = createInsertSchema(users, usersRefine);
export const userUpdateSchema = createUpdateSchema(users, usersRefine);
export const userSelectSchema = createSelectSchema(users, usersRefine);

const formatTemplatesRefine = { name, description: longText, beats: () => beatsSchema, fieldClocks };
export const formatTemplateInsertSchema = createInsertSchema(formatTemplates, formatTemplatesRefine);
export const formatTemplateUpdateSchema = createUpdateSchema(formatTemplates, formatTemplatesRefine);
export const formatTemplateSelectSchema = createSelectSchema(formatTemplates, formatTemplatesRefine);

const brainsRefine = {
  name,
  description: longText,
  styleVector: () => vectorSchema(BRAIN_STYLE_DIMENSIONS),
  parameters: () => brainParametersSchema,
  priceCredits: () => z.int().min(0),
  fieldClocks,
};
export const brainInsertSchema = createInsertSchema(brains, brainsRefine);
export const brainUpdateSchema = createUpdateSchema(brains, brainsRefine);
export const brainSelectSchema = createSelectSchema(brains, brainsRefine);

const projectsRefine = { title: name, description: longText, settings: () => projectSettingsSchema, fieldClocks };
export const projectInsertSchema = createInsertSchema(projects, projectsRefine);
export const projectUpdateSchema = createUpdateSchema(projects, projectsRefine);
export const projectSelectSchema = createSelectSchema(projects, projectsRefine);

const scenesRefine = {
  position: () => fractionalKeySchema,
  title: () => z.string().max(500),
  prompt: longText,
  parameters: () => sceneParametersSchema,
  durationSeconds: () => z.number().gt(0).max(600),
  fieldClocks,
};
export const sceneInsertSchema = createInsertSchema(scenes, scenesRefine);
export const sceneUpdateSchema = createUpdateSchema(scenes, scenesRefine);
export const sceneSelectSchema = createSelectSchema(scenes, scenesRefine);

const charactersRefine = {
  name,
  description: longText,
  appearance: () => characterAppearanceSchema,
  faceEmbedding: () => vectorSchema(FACE_EMBEDDING_DIMENSIONS),
  referenceImageUrl: url,
  fieldClocks,
};
export const characterInsertSchema = createInsertSchema(characters, charactersRefine);
export const characterUpdateSchema = createUpdateSchema(characters, charactersRefine);
export const characterSelectSchema = createSelectSchema(characters, charactersRefine);

const sceneVersionsRefine = {
  versionNumber: () => z.int().min(1),
  prompt: longText,
  parameters: () => sceneParametersSchema,
  videoUrl: url,
  thumbnailUrl: url,
  costUsd: () => z.string().regex(/^\d{1,6}(\.\d{1,4})?$/, 'a non-negative amount with at most 4 decimals'),
  generationMs: () => z.int().min(0),
  fieldClocks,
};
export const sceneVersionInsertSchema = createInsertSchema(sceneVersions, sceneVersionsRefine);
export const sceneVersionUpdateSchema = createUpdateSchema(sceneVersions, sceneVersionsRefine);
export const sceneVersionSelectSchema = createSelectSchema(sceneVersions, sceneVersionsRefine);

const creditLedgerRefine = {
  delta: () => z.int().refine((d) => d !== 0, 'delta must not be 0'),
  balanceAfter: () => z.int().min(0),
};
export const creditLedgerInsertSchema = createInsertSchema(creditLedger, creditLedgerRefine);
export const creditLedgerSelectSchema = createSelectSchema(creditLedger, creditLedgerRefine);

export const tombstoneInsertSchema = createInsertSchema(tombstones, { hlc: () => z.string().min(1) });
export const tombstoneSelectSchema = createSelectSchema(tombstones);

export const processedMutationInsertSchema = createInsertSchema(processedMutations);
export const processedMutationSelectSchema = createSelectSchema(processedMutations);

const mediaAssetsRefine = {
  sha256: () => z.string().regex(/^[0-9a-f]{64}$/, 'lowercase hex sha256'),
  byteSize: () => z.int().min(0),
  refCount: () => z.int().min(0),
};
export const mediaAssetInsertSchema = createInsertSchema(mediaAssets, mediaAssetsRefine);
export const mediaAssetSelectSchema = createSelectSchema(mediaAssets, mediaAssetsRefine);

const semanticCacheRefine = {
  embedding: () => vectorSchema(PROMPT_EMBEDDING_DIMENSIONS),
  result: () => semanticCacheResultSchema,
  parameters: () => z.record(z.string(), z.unknown()),
};
export const semanticCacheEntryInsertSchema = createInsertSchema(semanticCacheEntries, semanticCacheRefine);
export const semanticCacheEntrySelectSchema = createSelectSchema(semanticCacheEntries, semanticCacheRefine);

const componentCacheRefine = { descriptor: () => z.record(z.string(), z.unknown()), descriptorKey: () => z.string().min(1).max(256) };
export const componentCacheInsertSchema = createInsertSchema(componentCache, componentCacheRefine);
export const componentCacheSelectSchema = createSelectSchema(componentCache, componentCacheRefine);
