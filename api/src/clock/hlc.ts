// The HLC lives in sync/src/protocol (shared by client and server). sync/package.json does not export a
// `./protocol` subpath yet, so it is reached by path through this one file; switch to
// `@storyforge/sync/protocol/hlc` once that export exists.
export * from '../../../sync/src/protocol/hlc';
