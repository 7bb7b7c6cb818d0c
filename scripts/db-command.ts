// `npm run db:migrate|db:rollback|db:seed|db:backup|db:restore` (scripts/cli.ts → runDbCommand).
// Each command gets the dev database from the stack (DATABASE_URL, or the embedded cluster in ./.data,
// started for the command and stopped again only if this command started it).
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runMigrationCommand } from '@storyforge/db';
import { OperatorError } from '@storyforge/db/errors';
import { backupAndPrune, formatStatsTable, restoreBackup } from '@storyforge/db/backup';
import { runSeed } from '@storyforge/db/seed';
import { startDevStack } from '@storyforge/db/stack';

export interface DbCommandOptions {
  root: string;
  log: (line: string) => void;
  argv: string[];
}

const USAGE = [
  'usage: npm run db:<command> [-- options]',
  '  db:migrate  [-- --to N]             apply migrations (up to id N)',
  '  db:rollback [-- --to N]             roll back one migration (or down to id N; -1 = all)',
  '  db:seed     [-- --scale N]          demo data; --scale adds N scenes + N characters of benchmark data',
  '  db:backup   [-- --dir D]            pg_dump -Fc into D (default ./backups), then keep 7 daily + 4 weekly',
  '  db:restore  -- FILE [--into NAME]   restore into a NEW database, verified table by table',
].join('\n');

class UsageError extends Error {}

/** Where the user typed the command (npm runs scripts from the root; relative paths mean the caller's). */
function userPath(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

/** A database name for a restore nobody named: the dump's file name, made a valid identifier. */
export function defaultRestoreName(file: string): string {
  const base = basename(file).replace(/\.dump$/, '').toLowerCase().replace(/[^a-z0-9_]+/g, '_');
  return (/^[a-z_]/.test(base) ? base : `r_${base}`).slice(0, 63);
}

function positiveInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new UsageError(`--${name} needs a positive whole number, got "${raw}"`);
  return Number(raw);
}

type Action = (databaseUrl: string) => Promise<number>;

/** Parses the command line into the action to run, before any database is touched (bad input starts nothing). */
function plan(command: string, rest: string[], { root, log }: DbCommandOptions): Action {
  const logError = (line: string) => console.error(`[storyforge] ${line}`);
  switch (command) {
    case 'migrate':
    case 'rollback':
    case 'status': {
      const argv = [command === 'migrate' ? 'up' : command === 'rollback' ? 'down' : 'status', ...rest];
      return (databaseUrl) => runMigrationCommand({ argv, databaseUrl, log, logError });
    }
    case 'seed': {
      const { values } = parseArgs({ args: rest, options: { scale: { type: 'string' }, seed: { type: 'string' } }, strict: true });
      const scale = positiveInt('scale', values.scale);
      return async (databaseUrl) => {
        const result = await runSeed({ databaseUrl, log, ...(scale === undefined ? {} : { scale }), ...(values.seed === undefined ? {} : { seed: values.seed }) });
        log(`demo user ${result.demo.demoUserId}`);
        return 0;
      };
    }
    case 'backup': {
      const { values } = parseArgs({ args: rest, options: { dir: { type: 'string' } }, strict: true });
      const dir = values.dir === undefined ? join(root, 'backups') : userPath(values.dir);
      return async (databaseUrl) => {
        const result = await backupAndPrune({ databaseUrl, dir, log });
        for (const line of formatStatsTable(result.manifest.tables)) log(line);
        log(`kept ${result.kept.length}: ${result.kept.map((b) => basename(b.path)).join(', ')}`);
        log(`removed ${result.removed.length}${result.removed.length ? `: ${result.removed.map((b) => basename(b.path)).join(', ')}` : ''}`);
        return 0;
      };
    }
    case 'restore': {
      const { values, positionals } = parseArgs({ args: rest, options: { into: { type: 'string' } }, allowPositionals: true, strict: true });
      const [file, ...extra] = positionals;
      if (file === undefined || extra.length > 0) throw new UsageError('db:restore needs exactly one FILE: npm run db:restore -- backups/<name>.dump [--into NAME]');
      const path = userPath(file);
      const into = values.into ?? defaultRestoreName(path);
      return async (databaseUrl) => {
        const result = await restoreBackup({ file: path, databaseUrl, into, log });
        for (const line of formatStatsTable(result.expected ?? result.tables, result.expected ? result.tables : undefined)) log(line);
        log(`restored into database "${result.database}"${result.expected ? ', every table verified against the manifest' : ' (no manifest: not verified)'}`);
        return 0;
      };
    }
    default:
      throw new UsageError(`unknown db command "${command}"`);
  }
}

/** Runs one db command; returns the process exit code (0 ok, 1 failed, 2 usage). Never leaves the stack running if it started it. */
export async function runDbCommand(options: DbCommandOptions): Promise<number> {
  // Tolerate a literal `--` (npm strips it, calling cli.ts directly does not).
  const [command = '', ...rest] = options.argv.filter((a, i) => !(a === '--' && i === 1));
  try {
    const action = plan(command, rest, options);
    // These commands need only Postgres: pretend Redis is configured so the dev stack does not start
    // one (or collide with the Redis of a running `npm start`).
    const env = { ...process.env, REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:0/unused-by-db-commands' };
    const stack = await startDevStack({ root: options.root, log: options.log, env });
    try {
      return await action(stack.databaseUrl);
    } finally {
      await stack.stop();
    }
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`[storyforge] ${error.message}\n${USAGE}`);
      return 2;
    }
    if (error instanceof OperatorError) {
      // One line for every kind of refusal: `code: cause — fix`.
      console.error(`[storyforge] ${error.oneLine()}`);
      return 1;
    }
    throw error;
  }
}
