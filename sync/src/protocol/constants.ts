// Every wire string of the shape protocol (Electric HTTP API as @electric-sql/client 1.5.x speaks it).
// Server and client code import these; no protocol literal lives anywhere else.

export const SHAPE_PATH = '/v1/shape';
export const HEALTH_PATH = '/v1/health';

// Response headers
export const HANDLE_HEADER = 'electric-handle';
export const OFFSET_HEADER = 'electric-offset';
export const SCHEMA_HEADER = 'electric-schema';
export const CURSOR_HEADER = 'electric-cursor';
export const UP_TO_DATE_HEADER = 'electric-up-to-date';
export const SNAPSHOT_HEADER = 'electric-snapshot';
export const RETRY_AFTER_HEADER = 'retry-after';

/** Headers a browser client must be able to read (CORS expose list). */
export const EXPOSED_HEADERS = [
  HANDLE_HEADER,
  OFFSET_HEADER,
  SCHEMA_HEADER,
  CURSOR_HEADER,
  UP_TO_DATE_HEADER,
  SNAPSHOT_HEADER,
  RETRY_AFTER_HEADER,
] as const;

// Query parameters
export const TABLE_PARAM = 'table';
export const WHERE_PARAM = 'where';
/** `params[1]`, `params[2]`, … (form-encoded, 1-based like `$1`). */
export const WHERE_PARAMS_PREFIX = 'params';
export const COLUMNS_PARAM = 'columns';
export const REPLICA_PARAM = 'replica';
export const OFFSET_PARAM = 'offset';
export const HANDLE_PARAM = 'handle';
export const LIVE_PARAM = 'live';
export const LIVE_SSE_PARAM = 'live_sse';
export const EXPERIMENTAL_LIVE_SSE_PARAM = 'experimental_live_sse';
export const CURSOR_PARAM = 'cursor';
export const LOG_PARAM = 'log';

export const REPLICA_DEFAULT = 'default';
export const REPLICA_FULL = 'full';
export type ReplicaMode = typeof REPLICA_DEFAULT | typeof REPLICA_FULL;

export const LOG_FULL = 'full';
export const LOG_CHANGES_ONLY = 'changes_only';

// Special offsets
export const OFFSET_BEFORE_ALL = '-1';
export const OFFSET_NOW = 'now';

// Control messages
export const CONTROL_UP_TO_DATE = 'up-to-date';
export const CONTROL_MUST_REFETCH = 'must-refetch';
export const CONTROL_SNAPSHOT_END = 'snapshot-end';

export const OPERATION_INSERT = 'insert';
export const OPERATION_UPDATE = 'update';
export const OPERATION_DELETE = 'delete';
export type Operation = typeof OPERATION_INSERT | typeof OPERATION_UPDATE | typeof OPERATION_DELETE;

// Cache-control values per response kind (CDN-friendly; PROTOCOL.md "Response")
export const CACHE_INITIAL = 'public, max-age=604800, s-maxage=3600, stale-while-revalidate=2629746';
export const CACHE_CATCH_UP = 'public, max-age=60, stale-while-revalidate=300';
export const CACHE_LIVE = 'public, max-age=5, stale-while-revalidate=5';
export const CACHE_NONE = 'no-store';

export const SSE_CONTENT_TYPE = 'text/event-stream';
export const SSE_KEEP_ALIVE = ': keep-alive\n\n';
