import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { portInUse } from './free-port';
import { reapStaleTestStacks } from './reap-test-stacks';

const here = dirname(fileURLToPath(import.meta.url));
const tsx = join(here, '..', '..', '..', 'node_modules', '.bin', 'tsx');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('reapStaleTestStacks', () => {
  it('stops and removes the stack of a test run that was killed before its teardown', async () => {
    const script = `import { startTestStack } from ${JSON.stringify(join(here, 'test-stack.ts'))};
      const s = await startTestStack();
      console.log(JSON.stringify({ pid: process.pid, dataDir: s.postgres.dataDir, port: s.postgres.port, redisUrl: s.redis.url }));
      setInterval(() => {}, 1000);`;
    const child = spawn(tsx, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
    const stack = JSON.parse(line) as { pid: number; dataDir: string; port: number; redisUrl: string };
    const redisPort = Number(new URL(stack.redisUrl).port);
    // tsx runs the script in a child node process: kill that one, the stack's owner, like a crash would.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(stack.pid, 'SIGKILL');
    await exited;
    expect(await portInUse(stack.port)).toBe(true);
    expect(await portInUse(redisPort)).toBe(true);

    expect(await reapStaleTestStacks()).toBeGreaterThanOrEqual(1);

    expect(existsSync(dirname(stack.dataDir))).toBe(false);
    expect(await portInUse(stack.port)).toBe(false);
    expect(await portInUse(redisPort)).toBe(false);
  }, 60_000);

  it('leaves the stack of a live run alone', async () => {
    const own = process.env.STORYFORGE_TEST_PG_ADMIN_URL;
    expect(own).toBeDefined();
    await reapStaleTestStacks();
    expect(await portInUse(Number(new URL(own ?? '').port))).toBe(true);
    expect(alive(process.pid)).toBe(true);
  });
});
