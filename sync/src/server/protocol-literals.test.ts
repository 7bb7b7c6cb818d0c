// The protocol is a module: header names, query parameters and control values live in
// sync/src/protocol/constants.ts only. This flags raw protocol strings in the server's code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('.', import.meta.url));
// Owned by the where/scope engineer or test-only: not checked here.
const skip = [/\.test\.ts$/, /^where\//, /^scope\//, /^testing\//];
const banned = [/['"`]electric-[a-z-]+['"`]/, /['"`](up-to-date|must-refetch|snapshot-end)['"`]/, /['"`]live_sse['"`]/];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

it('keeps protocol strings in protocol/constants.ts', () => {
  const offenders: string[] = [];
  for (const file of files(root)) {
    const rel = relative(root, file);
    if (skip.some((re) => re.test(rel))) continue;
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      const code = line.trim();
      if (code.startsWith('*') || code.startsWith('//') || code.startsWith('/*')) return; // comments may name them
      if (banned.some((re) => re.test(code))) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
    });
  }
  expect(offenders).toEqual([]);
});
