// @storyforge/db/schema and @storyforge/db/validators are imported by browser code (the PWA, the sync
// client), so nothing they reach may import Node built-ins or the Postgres driver. The root barrel
// (@storyforge/db) also exports the migration runner and is server-only.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm;

function reachableImports(entry: string): { files: Set<string>; external: Set<string> } {
  const files = new Set<string>();
  const external = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop();
    if (file === undefined || files.has(file)) continue;
    files.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = match[1] ?? '';
      if (match[0].includes('import type') || match[0].includes('export type')) continue;
      if (spec.startsWith('.')) queue.push(`${resolve(dirname(file), spec)}.ts`);
      else external.add(spec);
    }
  }
  return { files, external };
}

describe('browser-safe entry points', () => {
  it.each(['../schema/index.ts', './index.ts'])('%s imports no Node built-in and no Postgres driver', (entry) => {
    const { files, external } = reachableImports(fileURLToPath(new URL(entry, import.meta.url)));
    expect(files.size).toBeGreaterThan(5);
    const serverOnly = [...external].filter((spec) => spec.startsWith('node:') || spec === 'postgres' || spec.startsWith('drizzle-orm/postgres-js'));
    expect(serverOnly).toEqual([]);
  });

  it('the root barrel does reach the server-only runner (so browser code must use the subpaths)', () => {
    const { external } = reachableImports(fileURLToPath(new URL('../index.ts', import.meta.url)));
    expect([...external]).toEqual(expect.arrayContaining(['postgres', 'node:crypto']));
  });
});
