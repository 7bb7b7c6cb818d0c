import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, hlcAt, m, statuses, type Harness } from '../testing/api-harness';
import { expectLedgerConsistent, ledgerOf } from '../testing/ledger-assertions';
import { createCreditReservation } from './credit-reservation';
import { createOrphanedHoldReconciler, type RefundedHold } from './orphaned-holds';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ startingCredits: 100 });
});
afterAll(() => h.close());

const HOUR = 3_600_000;
const logger = pino({ level: 'silent' });
/** The database's clock (ledger rows are stamped by now()), so "past the grace" does not depend on skew. */
async function dbNow(): Promise<number> {
  const [row] = await h.db.sql<{ now: Date }[]>`select now()`;
  return row?.now.getTime() ?? Date.now();
}

function reconciler(now: () => number) {
  return createOrphanedHoldReconciler({ sql: h.db.sql, logger, now, registry: h.registry });
}

/** Holds `credits` through the real reservation, as the generation route does before rendering. */
async function holdFor(credits: number) {
  const { token, userId } = await h.login();
  const referenceId = randomUUID();
  const r = createCreditReservation({ sql: h.db.sql, userId, referenceId, logger });
  expect(await r.hold(credits)).toBe(true);
  return { token, userId, referenceId, r };
}

/** Records the version the hold names through the mutation path (what recordGeneration writes). */
async function recordVersion(token: string, userId: string, versionId: string): Promise<{ projectId: string; sceneId: string }> {
  const projectId = randomUUID();
  const sceneId = randomUUID();
  const res = await h.mutate(token, [
    m.insert('projects', projectId, { user_id: userId, title: 'Harbour' }, hlcAt(Date.now(), 'c1')),
    m.insert('scenes', sceneId, { project_id: projectId, position: 'a0', title: 'Opening' }, hlcAt(Date.now(), 'c1')),
    m.insert('scene_versions', versionId, { scene_id: sceneId, project_id: projectId, version_number: 1, prompt: 'a red lighthouse' }, hlcAt(Date.now(), 'c1')),
  ]);
  expect(statuses(res.body)).toEqual(['applied', 'applied', 'applied']);
  return { projectId, sceneId };
}

const of = (userId: string, refunded: RefundedHold[]) => refunded.filter((x) => x.userId === userId);

describe('orphaned credit holds', () => {
  it('a hold whose request died (held, never settled) is left alone within the grace and refunded exactly once after it', async () => {
    const { userId, referenceId } = await holdFor(50);
    // The process "dies" here: no record, no settle, no release.
    let now = await dbNow();
    const r = reconciler(() => now);
    expect(of(userId, await r.reconcileOnce())).toEqual([]);
    expect(await ledgerOf(h.db.sql, userId)).toEqual(['grant:100', 'generation:-50']);

    now += HOUR + 60_000;
    expect(of(userId, await r.reconcileOnce())).toEqual([{ userId, referenceId, credits: 50 }]);
    expect(await ledgerOf(h.db.sql, userId)).toEqual(['grant:100', 'generation:-50', 'refund:50']);
    const refs = await h.db.sql<{ reference_id: string }[]>`select reference_id from credit_ledger where user_id = ${userId} and reason = 'refund'`;
    expect(refs.map((x) => x.reference_id)).toEqual([referenceId]);
    await expectLedgerConsistent(h.db.sql, userId, 100);

    // A rerun, by the same reconciler (cursor moved on) or a fresh one (a restarted process scans all).
    expect(of(userId, await r.reconcileOnce())).toEqual([]);
    expect(of(userId, await reconciler(() => now).reconcileOnce())).toEqual([]);
    expect(await ledgerOf(h.db.sql, userId)).toEqual(['grant:100', 'generation:-50', 'refund:50']);
  });

  it('a hold raised and partly refunded before the crash is refunded by what is still held', async () => {
    const { userId, referenceId, r } = await holdFor(80);
    expect(await r.hold(30)).toBe(true);
    const now = (await dbNow()) + 2 * HOUR;
    expect(of(userId, await reconciler(() => now).reconcileOnce())).toEqual([{ userId, referenceId, credits: 30 }]);
    expect(await ledgerOf(h.db.sql, userId)).toEqual(['grant:100', 'generation:-80', 'refund:50', 'refund:30']);
    await expectLedgerConsistent(h.db.sql, userId, 100);
  });

  it('a recorded generation (settled or not), a released hold and a version deleted later are never touched', async () => {
    const recorded = await holdFor(50);
    await recordVersion(recorded.token, recorded.userId, recorded.referenceId);
    await recorded.r.settle(40);

    // Recorded, then the process died before settling: the hold is the charge.
    const unsettled = await holdFor(50);
    await recordVersion(unsettled.token, unsettled.userId, unsettled.referenceId);

    const released = await holdFor(50);
    await released.r.release(new Error('render failed'));

    // Recorded and delivered, then the user deleted the scene: the version row is gone by cascade.
    const sceneGone = await holdFor(50);
    const { sceneId } = await recordVersion(sceneGone.token, sceneGone.userId, sceneGone.referenceId);
    expect(statuses((await h.mutate(sceneGone.token, [m.delete('scenes', sceneId, hlcAt(Date.now(), 'c1'))])).body)).toEqual(['applied']);

    // Recorded, then the version itself deleted (tombstone of the version).
    const versionGone = await holdFor(50);
    await recordVersion(versionGone.token, versionGone.userId, versionGone.referenceId);
    expect(statuses((await h.mutate(versionGone.token, [m.delete('scene_versions', versionGone.referenceId, hlcAt(Date.now(), 'c1'))])).body)).toEqual(['applied']);

    const now = (await dbNow()) + 2 * HOUR;
    const refunded = await reconciler(() => now).reconcileOnce();
    for (const x of [recorded, unsettled, released, sceneGone, versionGone]) expect(of(x.userId, refunded)).toEqual([]);
    expect(await ledgerOf(h.db.sql, recorded.userId)).toEqual(['grant:100', 'generation:-50', 'refund:10']);
    expect(await ledgerOf(h.db.sql, unsettled.userId)).toEqual(['grant:100', 'generation:-50']);
    expect(await ledgerOf(h.db.sql, released.userId)).toEqual(['grant:100', 'generation:-50', 'refund:50']);
    expect(await ledgerOf(h.db.sql, sceneGone.userId)).toEqual(['grant:100', 'generation:-50']);
    expect(await ledgerOf(h.db.sql, versionGone.userId)).toEqual(['grant:100', 'generation:-50']);
  });

  it('two reconcilers at once (two API processes) refund a hold once', async () => {
    const holds = await Promise.all([holdFor(20), holdFor(30), holdFor(40)]);
    const now = (await dbNow()) + 2 * HOUR;
    const runs = await Promise.all([reconciler(() => now).reconcileOnce(), reconciler(() => now).reconcileOnce(), reconciler(() => now).reconcileOnce()]);
    for (const { userId, referenceId } of holds) {
      const credits = (await ledgerOf(h.db.sql, userId))[1]?.split(':')[1];
      expect(runs.flatMap((run) => of(userId, run))).toEqual([{ userId, referenceId, credits: -Number(credits) }]);
      expect((await ledgerOf(h.db.sql, userId)).filter((x) => x.startsWith('refund'))).toHaveLength(1);
      await expectLedgerConsistent(h.db.sql, userId, 100);
    }
  });

  it('a pass refunds what is due but keeps its cursor before a hold still within the grace; a later pass refunds that one', async () => {
    // `a` held 50, then (after `b`'s hold) lowered to 20 by a refund row: its first row is older than
    // `b`'s, its newest younger. A cursor moved past `b` alone would later see only `a`'s +30.
    const a = await holdFor(50);
    const b = await holdFor(10);
    await sleep(1_500);
    expect(await a.r.hold(20)).toBe(true);
    let now = await dbNow();
    // A 1 s grace, so the rows' real timestamps fall either side of it.
    const r = createOrphanedHoldReconciler({ sql: h.db.sql, logger, now: () => now, graceMs: 1_000, registry: h.registry });
    const first = await r.reconcileOnce();
    expect(of(b.userId, first)).toEqual([{ userId: b.userId, referenceId: b.referenceId, credits: 10 }]);
    expect(of(a.userId, first)).toEqual([]);
    now += 2_000;
    expect(of(a.userId, await r.reconcileOnce())).toEqual([{ userId: a.userId, referenceId: a.referenceId, credits: 20 }]);
    expect(await r.reconcileOnce()).toEqual([]);
    expect(await ledgerOf(h.db.sql, a.userId)).toEqual(['grant:100', 'generation:-50', 'refund:30', 'refund:20']);
  });

  it('counts refunded holds and credits', async () => {
    const metrics = await h.registry.getMetricsAsJSON();
    const value = (name: string) => metrics.find((x) => x.name === name)?.values[0]?.value ?? 0;
    // Refunded so far in this file: 50, 30, 20 + 30 + 40, 10, 20.
    expect(value('storyforge_orphaned_holds_refunded_total')).toBe(7);
    expect(value('storyforge_orphaned_hold_credits_refunded_total')).toBe(200);
  });
});
