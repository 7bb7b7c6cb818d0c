// Test-only: runs api-child.ts (the composed server) in its own process and follows its stdout protocol, so
// a crash test can kill -9 it at a known point and start another on the same database and Redis.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The child's stdout lines (`{"event": …}`), shared with api-child.ts. */
export const LISTENING_EVENT = 'listening';
export const RENDER_STARTED_EVENT = 'render started';

export interface SpawnApiChildOptions {
  /**
   * The child's whole environment besides PATH/HOME/TMPDIR (nothing else of the test runner's leaks into
   * the server's config): DATABASE_URL, REDIS_URL, STORYFORGE_DATA_DIR, STORYFORGE_TEST_SLOT, STORYFORGE_*.
   */
  env: Record<string, string>;
  /** How long to wait for the child to serve. Default 60 s (it starts sync: slot, snapshot). */
  startTimeoutMs?: number;
}

export interface ApiChild {
  url: string;
  pid: number;
  /**
   * Resolves at the next `event` line not yet waited for (one already printed counts), rejects after
   * `timeoutMs` or if the child exits first.
   */
  waitForEvent(event: string, timeoutMs: number): Promise<void>;
  /** SIGKILL, resolved once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (the child stops its server and exits 0), SIGKILL after `timeoutMs`; resolves once gone. */
  stop(timeoutMs?: number): Promise<void>;
  /** The last 8 KB of stderr (the server's logs), for failure messages. */
  stderrTail(): string;
}

const STDERR_TAIL = 8192;

/**
 * @example
 *   const child = await spawnApiChild({ env: { DATABASE_URL: db.url, REDIS_URL, STORYFORGE_DATA_DIR: dir, STORYFORGE_TEST_SLOT: slot, STORYFORGE_PORT: '0' } });
 *   await child.waitForEvent(RENDER_STARTED_EVENT, 10_000);
 *   await child.kill9();
 */
export async function spawnApiChild({ env, startTimeoutMs = 60_000 }: SpawnApiChildOptions): Promise<ApiChild> {
  const entry = fileURLToPath(new URL('./api-child.ts', import.meta.url));
  const inherited = Object.fromEntries(['PATH', 'HOME', 'TMPDIR'].flatMap((k) => (process.env[k] === undefined ? [] : [[k, process.env[k]]])));
  const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', entry], { env: { ...inherited, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const pid = proc.pid;
  if (pid === undefined) throw new Error('the api child did not spawn');

  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-STDERR_TAIL);
  });
  const exited = new Promise<string>((resolve) => proc.once('close', (code: number | null, signal: NodeJS.Signals | null) => resolve(`exited (code ${code}, signal ${signal})`)));
  let exitReason: string | undefined;
  void exited.then((r) => (exitReason = r));

  // Every protocol line, and how many of each event a waiter has taken.
  const seen: { event: string; url?: string }[] = [];
  const taken = new Map<string, number>();
  const listeners = new Set<() => void>();
  createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    try {
      seen.push(JSON.parse(line) as { event: string; url?: string });
    } catch {
      // Not a protocol line (something wrote to stdout): kept out of the protocol, shown with stderr.
      stderr = (stderr + `[stdout] ${line}\n`).slice(-STDERR_TAIL);
      return;
    }
    for (const l of listeners) l();
  });

  function waitForEvent(event: string, timeoutMs: number): Promise<{ event: string; url?: string }> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const index = taken.get(event) ?? 0;
        const found = seen.filter((l) => l.event === event)[index];
        if (found === undefined) return false;
        taken.set(event, index + 1);
        done();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`api child ${pid}: no "${event}" line within ${timeoutMs} ms; stderr:\n${stderr}`));
      }, timeoutMs);
      const onExit = (): void => {
        if (check()) return;
        done();
        reject(new Error(`api child ${pid} ${exitReason ?? 'exited'} before printing "${event}"; stderr:\n${stderr}`));
      };
      const done = (): void => {
        clearTimeout(timer);
        listeners.delete(listener);
        proc.off('close', onExit);
      };
      const listener = (): void => void check();
      if (check()) return;
      listeners.add(listener);
      proc.once('close', onExit);
    });
  }

  /** Resolves once the process has exited and its stdio closed (at once if that already happened). */
  async function gone(): Promise<void> {
    await exited;
  }

  async function kill9(): Promise<void> {
    proc.kill('SIGKILL');
    await gone();
  }
  try {
    const listening = await waitForEvent(LISTENING_EVENT, startTimeoutMs);
    if (listening.url === undefined) throw new Error(`api child ${pid} printed no url`);
    return {
      url: listening.url,
      pid,
      waitForEvent: async (event, timeoutMs) => void (await waitForEvent(event, timeoutMs)),
      kill9,
      async stop(timeoutMs = 10_000) {
        if (proc.exitCode !== null || proc.signalCode !== null) return;
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
        await gone();
        clearTimeout(timer);
      },
      stderrTail: () => stderr,
    };
  } catch (error) {
    await kill9();
    throw error;
  }
}
