// Every table of the database. drizzle.config.ts points here: this file is what drizzle-kit diffs.
export * from './columns';
export * from './users';
export * from './format-templates';
export * from './brains';
export * from './projects';
export * from './scenes';
export * from './characters';
export * from './scene-versions';
export * from './credit-ledger';
export * from './tombstones';
export * from './processed-mutations';
export * from './generation-requests';
export * from './media-assets';
export * from './semantic-cache-entries';
export * from './component-cache';
