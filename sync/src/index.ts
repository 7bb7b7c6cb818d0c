// @storyforge/sync: the wire protocol both ends share. The server is the subpath `@storyforge/sync/server`
// (Node only); protocol-only imports stay at `@storyforge/sync/protocol` or here.
export * from './protocol/index';
