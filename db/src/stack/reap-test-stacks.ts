import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgBin, postgresOsUser } from './postgres-paths';
import { runCommand } from './run-command';

export const TEST_STACK_PREFIX = 'storyforge-test-';
const OWNER_FILE = 'owner.json';
// A stack still being created has no owner file yet; leave young ones alone.
const UNOWNED_GRACE_MS = 10 * 60_000;

interface StackOwner {
  ownerPid: number;
  redisPid: number;
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Records which process owns a throwaway stack, so a later run can reap it if that process dies. */
export function writeStackOwner(root: string, owner: StackOwner): void {
  writeFileSync(join(root, OWNER_FILE), JSON.stringify(owner));
}

function readOwner(root: string): StackOwner | undefined {
  try {
    return JSON.parse(readFileSync(join(root, OWNER_FILE), 'utf8')) as StackOwner;
  } catch {
    return undefined;
  }
}

/**
 * Stops and removes throwaway test stacks whose owning process is gone (a test run killed before its
 * teardown): their Postgres and Redis would otherwise hold memory and ports until reboot.
 */
export async function reapStaleTestStacks(now: number = Date.now()): Promise<number> {
  let reaped = 0;
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(TEST_STACK_PREFIX)) continue;
    const root = join(tmpdir(), name);
    const owner = readOwner(root);
    if (owner === undefined) {
      if (now - statSync(root).mtimeMs < UNOWNED_GRACE_MS) continue;
    } else if (alive(owner.ownerPid)) {
      continue;
    }
    const dataDir = join(root, 'pg');
    if (existsSync(join(dataDir, 'postmaster.pid'))) {
      await runCommand(pgBin('pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], { asUser: postgresOsUser });
    }
    if (owner !== undefined && alive(owner.redisPid)) process.kill(owner.redisPid, 'SIGKILL');
    rmSync(root, { recursive: true, force: true });
    reaped++;
  }
  return reaped;
}
