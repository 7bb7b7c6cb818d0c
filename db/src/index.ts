// @storyforge/db public surface: tables + row types, validators, the migration runner.
// Heavier or tool-only parts are subpaths: @storyforge/db/stack, @storyforge/db/testing.
export * from './schema/index';
export * from './validators/index';
export * from './migrate/index';
