// Auth-mode read scope for the synced tables (DESIGN.md "Sync semantics"); plug into createSyncService({ scope }).
export { createScopePolicy, type CreateScopePolicyOptions, type LoadScopeOptions, type StoryforgeScopePolicy } from './create-scope-policy';
export { ProjectOwners, type OwnerChange } from './project-owners';
export type { ScopeRow, UserScope } from './scope-rules';
