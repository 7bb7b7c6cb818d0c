// The repository's command line: `npm start`, `npm test`, `npm run bench`, `npm run db:*` all land here
// (via scripts/bootstrap.mjs, which installs the workspace first).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OperatorError } from '@storyforge/db/errors';
import { provisionSystem } from '@storyforge/db/stack';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = (line: string) => console.log(`[storyforge] ${line}`);

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

// One package at a time: each test run starts its own Postgres and Redis, and this machine has 2 cores.
const runTurbo = (task: string, extra: string[]) =>
  run(join(root, 'node_modules', '.bin', 'turbo'), ['run', task, '--concurrency=1', ...extra]);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start': {
      const { runApp } = await import('./start-app');
      return runApp({ root, log });
    }
    case 'test': {
      await provisionSystem({ log });
      const rootTypecheck = await run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'tsconfig.json')]);
      if (rootTypecheck !== 0) return rootTypecheck;
      return runTurbo('test', rest);
    }
    case 'bench':
      await provisionSystem({ log });
      return runTurbo('bench', rest);
    case 'db': {
      const { runDbCommand } = await import('./db-command');
      return runDbCommand({ root, log, argv: rest });
    }
    default:
      console.error('usage: cli.ts start | test | bench | db <migrate|rollback|seed|backup|restore>');
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof OperatorError) {
      console.error(`[storyforge] error ${error.oneLine()}`);
    } else {
      console.error('[storyforge] failed:', error);
    }
    process.exit(1);
  },
);
