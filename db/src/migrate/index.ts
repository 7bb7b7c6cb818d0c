// The migration runner: drizzle-kit generates the up SQL, we hand-write the down SQL, this runs both.
export { migrateUp, type MigrateUpOptions, type MigrateUpResult } from './migrate-up';
export { migrateDown, type MigrateDownOptions, type MigrateDownResult } from './migrate-down';
export { migrationStatus, type MigrationStatusEntry, type MigrationState } from './migration-status';
export { MigrationError, type MigrationErrorCode } from './migration-error';
export { loadMigrations, checksumOf, DEFAULT_MIGRATIONS_DIR, type MigrationFile } from './load-migrations';
export { MIGRATIONS_TABLE } from './bookkeeping';
export { DEFAULT_LOCK_TIMEOUT_MS, type MigrateOptions } from './session';
export { runMigrationCommand, MIGRATION_USAGE, type MigrationCommandOptions } from './migration-command';
