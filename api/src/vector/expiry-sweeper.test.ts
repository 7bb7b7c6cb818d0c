import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { startExpirySweeper } from './expiry-sweeper';
import { createMemoryVectorStore } from './memory-vector-store';
import { makeEntry } from './testing/semantic-entry-fixture';

describe('L2 expiry sweeper', () => {
  it('deletes only what expired by the injected clock', async () => {
    const store = createMemoryVectorStore();
    let now = 1_000;
    await store.upsert([makeEntry({ tenantId: 't', expiresAt: 1_500 }), makeEntry({ tenantId: 't', expiresAt: 5_000 })]);
    const sweeper = startExpirySweeper({ store, now: () => now, logger: pino({ level: 'silent' }) });
    try {
      expect(await sweeper.sweepOnce()).toBe(0);
      now = 2_000;
      expect(await sweeper.sweepOnce()).toBe(1);
      expect(await store.count('t')).toBe(1);
    } finally {
      sweeper.stop();
    }
  });
});
