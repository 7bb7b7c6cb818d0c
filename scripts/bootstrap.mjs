#!/usr/bin/env node
// Entry for `npm start|test|bench|db:*`. Plain Node with no dependencies, because on a fresh clone
// nothing is installed yet: make sure the workspace is installed, then hand over to the TypeScript CLI.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(root, 'node_modules', '.package-lock.json');
const lockfile = join(root, 'package-lock.json');

function installNeeded() {
  if (!existsSync(marker)) return true;
  return statSync(lockfile).mtimeMs > statSync(marker).mtimeMs;
}

if (installNeeded()) {
  console.log('[storyforge] installing npm workspace (npm ci)…');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('[storyforge] npm ci failed: see the output above (network to the npm registry? disk full?)');
    process.exit(result.status ?? 1);
  }
}

const tsx = join(root, 'node_modules', '.bin', 'tsx');
const child = spawn(tsx, [join(root, 'scripts', 'cli.ts'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
// The CLI does its own orderly shutdown. Ctrl-C reaches the whole foreground process group, but a
// supervisor (systemd, a process manager, `kill <pid>`) signals only this process: pass it on. The CLI
// absorbs a repeated signal while it stops, so getting both is harmless.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
