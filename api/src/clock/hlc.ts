// The HLC lives in sync/src/protocol (one implementation for client and server); the api re-exports
// what it uses from here so the rest of the package has one import site.
export { clampHlc, formatHlc, HlcError, parseHlc, receiveHlc, tickHlc, type Hlc } from '@storyforge/sync/protocol';
