import { migrateDown } from './migrate-down';
import { migrateUp } from './migrate-up';
import { MigrationError } from './migration-error';
import { migrationStatus } from './migration-status';

export interface MigrationCommandOptions {
  /** ['up'] | ['up', '--to', 'N'] | ['down'] | ['down', '--to', 'N'] | ['status'] */
  argv: readonly string[];
  databaseUrl: string;
  log: (line: string) => void;
  /** Where a refusal's one line goes (stderr in the CLI). */
  logError: (line: string) => void;
  migrationsDir?: string;
}

export const MIGRATION_USAGE = 'usage: migrate up [--to N] | down [--to N] | status  (N = id of the last migration to apply / keep; down --to -1 = all)';

function parseTo(argv: readonly string[]): number | undefined | 'invalid' {
  const at = argv.findIndex((a) => a === '--to' || a.startsWith('--to='));
  if (at === -1) return undefined;
  const arg = argv[at] ?? '';
  const raw = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[at + 1];
  if (raw === undefined || !/^-?\d+$/.test(raw)) return 'invalid';
  return Number(raw);
}

/**
 * The db:migrate / db:rollback / db:status command as a function returning an exit code, so both
 * db/src/migrate/cli.ts and scripts/db-command.ts can call it. A MigrationError becomes one line
 * (cause — what to do) and exit code 1; anything else is rethrown (a bug, keep its stack).
 */
export async function runMigrationCommand(options: MigrationCommandOptions): Promise<number> {
  const [command, ...rest] = options.argv;
  const base = {
    databaseUrl: options.databaseUrl,
    log: options.log,
    ...(options.migrationsDir === undefined ? {} : { migrationsDir: options.migrationsDir }),
  };
  try {
    switch (command) {
      case 'up':
      case 'down': {
        const to = parseTo(rest);
        if (to === 'invalid') {
          options.logError(`--to needs an integer. ${MIGRATION_USAGE}`);
          return 2;
        }
        const target = to === undefined ? base : { ...base, to };
        await (command === 'up' ? migrateUp(target) : migrateDown(target));
        return 0;
      }
      case 'status':
        for (const entry of await migrationStatus(base)) {
          const when = entry.appliedAt === null ? '' : ` ${entry.appliedAt.toISOString()}`;
          options.log(`${String(entry.id).padStart(4, '0')} ${entry.name} ${entry.state}${when}${entry.hasDown ? '' : ' (no down file)'}`);
        }
        return 0;
      default:
        options.logError(MIGRATION_USAGE);
        return 2;
    }
  } catch (error) {
    if (error instanceof MigrationError) {
      options.logError(`error ${error.oneLine()}`);
      return 1;
    }
    throw error;
  }
}
