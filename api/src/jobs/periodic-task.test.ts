import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { startPeriodicTask } from './periodic-task';

const logger = pino({ level: 'silent' });

describe('startPeriodicTask', () => {
  it('joins a run in progress instead of starting a second one', async () => {
    let runs = 0;
    let finish!: () => void;
    const task = startPeriodicTask({
      name: 'test',
      intervalMs: 60_000,
      logger,
      run: () => {
        runs++;
        return new Promise<number>((resolve) => (finish = () => resolve(runs)));
      },
    });
    try {
      const [a, b] = [task.runOnce(), task.runOnce()];
      finish();
      expect(await Promise.all([a, b])).toEqual([1, 1]);
      const c = task.runOnce();
      finish();
      expect(await c).toBe(2);
    } finally {
      task.stop();
    }
  });

  it('runs at start when asked, and keeps running on the interval after a failed run', async () => {
    const outcomes: string[] = [];
    let calls = 0;
    const task = startPeriodicTask({
      name: 'test',
      intervalMs: 20,
      logger,
      runAtStart: true,
      run: async () => {
        calls++;
        outcomes.push(calls === 1 ? 'failed' : 'ok');
        if (calls === 1) throw new Error('first run fails');
      },
    });
    try {
      await expect.poll(() => outcomes.slice(0, 3), { timeout: 2_000 }).toEqual(['failed', 'ok', 'ok']);
    } finally {
      task.stop();
    }
  });

  it('does not run before the first interval unless asked', async () => {
    let calls = 0;
    const task = startPeriodicTask({ name: 'test', intervalMs: 60_000, logger, run: async () => void calls++ });
    await new Promise((resolve) => setImmediate(resolve));
    task.stop();
    expect(calls).toBe(0);
  });
});
