export { createSyncService, type SyncService, type SyncServiceOptions } from './create-sync-service';
export { SyncError, type SyncErrorCode } from './sync-error';
export type { ColumnInfo, ColumnMap } from './schema/column-info';
export type { CompileWhere, CompileWhereInput, RowFilter, TextRow } from './shapes/row-filter';
export type { ScopePolicy, ShapeScope, ObservedChange } from './shapes/scope-policy';
export type { EngineLogger } from './shapes/shape-engine';
export { createScopePolicy, type StoryforgeScopePolicy, type CreateScopePolicyOptions } from './scope/index';
