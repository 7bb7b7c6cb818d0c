import type { Logger } from 'pino';
import type postgres from 'postgres';
import { Counter, type Registry } from 'prom-client';
import { startPeriodicTask } from '../jobs/periodic-task';
import { grantCredits } from '../ledger/credits';
import { withTransaction } from '../mutations/with-transaction';

/** Default grace: far longer than any generation request (an HTTP provider job times out after 10 min). */
export const DEFAULT_ORPHANED_HOLD_GRACE_MS = 3_600_000;

export interface OrphanedHoldReconcilerOptions {
  sql: postgres.Sql;
  logger: Logger;
  now: () => number;
  /**
   * A hold is orphaned only once its newest ledger row is older than this. It must exceed the longest a
   * request can run between its hold and recording its version, or a slow request would be refunded and
   * then recorded (a free generation). Default 1 hour.
   */
  graceMs?: number;
  /** Counters of refunded holds and credits (`storyforge_orphaned_hold*_total`). */
  registry?: Registry;
}

export interface RefundedHold {
  userId: string;
  referenceId: string;
  credits: number;
}

export interface OrphanedHoldReconciler {
  /** One pass: refunds every due orphaned hold once; returns what it refunded. */
  reconcileOnce(): Promise<RefundedHold[]>;
}

interface ScanRow {
  /** Highest scanned ledger id older than the grace; null when there is none. */
  through: string | null;
  user_id: string | null;
  reference_id: string | null;
  first_id: string | null;
  due: boolean | null;
}

/**
 * Refunds credit holds a crash orphaned. A paid generation debits a hold ('generation', reference_id =
 * the scene version id it will record) in its own committed transaction, settles it and records the version,
 * or releases it; if the process dies in between, the credits stay debited for a version that never
 * existed. A reference is orphaned when its 'generation' + 'refund' rows sum below zero, its newest row is
 * older than the grace, and it has no version: no scene_versions row and no scene_versions tombstone.
 *
 * A recorded version also disappears without a tombstone of its own when its scene or project is deleted
 * (ON DELETE CASCADE), so a hold is also left alone when its user deleted a scene or project after it.
 * That can leave a real orphan unrefunded (as before this reconciler), never refunds a delivered render.
 *
 * Cost, with the existing indexes only: each pass range-scans credit_ledger by primary key from a cursor
 * (the first pass of a process scans the whole table once: one aggregate over every 'generation'/'refund'
 * row); later passes read only rows newer than the oldest hold still within its grace. Each candidate is
 * then re-checked under its user's row lock by the (user_id, id desc) index, so only that user's rows.
 *
 * Safe with several reconcilers (one per API process): the refund transaction first locks the users row,
 * which every credit change also locks (the guarded UPDATE in ledger/credits.ts), then re-reads the sum; a
 * hold refunded by another reconciler or released by its request in the meantime sums to 0 and is skipped.
 *
 * @example
 *   const r = createOrphanedHoldReconciler({ sql, logger, now: Date.now });
 *   const refunded = await r.reconcileOnce();
 */
export function createOrphanedHoldReconciler({ sql, logger, now, graceMs = DEFAULT_ORPHANED_HOLD_GRACE_MS, registry }: OrphanedHoldReconcilerOptions): OrphanedHoldReconciler {
  if (!Number.isFinite(graceMs) || graceMs <= 0) throw new Error(`The orphaned-hold grace must be a positive duration, got ${graceMs} ms`);
  const metrics = registry === undefined ? undefined : createMetrics(registry);
  // Every ledger row with id <= cursor belongs to a reference already decided (refunded, settled,
  // recorded) or to no hold at all. In memory: a restart scans the whole ledger once.
  let cursor = 0n;

  async function refundIfOrphaned(userId: string, referenceId: string, cutoff: Date): Promise<RefundedHold | null> {
    return withTransaction(sql, async (tx) => {
      await tx`select 1 from users where id = ${userId} for update`;
      // Read after the lock (READ COMMITTED: a fresh snapshot per statement), so a refund committed by a
      // concurrent reconciler or by the request's own release is counted.
      const [hold] = await tx<{ held: number; newest: Date | null; recorded: boolean }[]>`
        with rows as (
          select delta, created_at from credit_ledger
          where user_id = ${userId} and reference_id = ${referenceId} and reason in ('generation', 'refund')
        ), hold as (select coalesce(sum(delta), 0)::int as held, min(created_at) as first_at, max(created_at) as newest from rows)
        select held, newest,
          exists (select 1 from scene_versions where id = ${referenceId})
          or exists (select 1 from tombstones where table_name = 'scene_versions' and row_id = ${referenceId})
          or exists (select 1 from tombstones where table_name in ('scenes', 'projects') and deleted_by = ${userId} and deleted_at >= hold.first_at)
          as recorded
        from hold`;
      if (hold === undefined || hold.held >= 0 || hold.recorded || hold.newest === null || hold.newest >= cutoff) return null;
      await grantCredits({ tx, userId, amount: -hold.held, reason: 'refund', referenceId });
      return { userId, referenceId, credits: -hold.held };
    });
  }

  return {
    async reconcileOnce() {
      const cutoff = new Date(now() - graceMs);
      const rows = await sql<ScanRow[]>`
        with scanned as (
          select id, user_id, reference_id, delta, created_at from credit_ledger
          where id > ${cursor.toString()}::bigint and reason in ('generation', 'refund') and reference_id is not null
        ), holds as (
          select user_id, reference_id, min(id) as first_id, min(created_at) as first_at, max(created_at) as newest
          from scanned group by user_id, reference_id having sum(delta) < 0
        ), candidates as (
          select h.user_id, h.reference_id, h.first_id::text, h.newest < ${cutoff} as due from holds h
          where not exists (select 1 from scene_versions v where v.id = h.reference_id)
            and not exists (select 1 from tombstones t where t.table_name = 'scene_versions' and t.row_id = h.reference_id)
            and not exists (
              select 1 from tombstones t
              where t.table_name in ('scenes', 'projects') and t.deleted_by = h.user_id and t.deleted_at >= h.first_at)
        )
        select s.through, c.user_id, c.reference_id, c.first_id, c.due
        from (select max(id)::text as through from scanned where created_at < ${cutoff}) s
        left join candidates c on true
        order by c.first_id::bigint`;

      const refunded: RefundedHold[] = [];
      // The cursor may pass rows older than the grace (a hold's transaction lasts milliseconds, so no
      // older row is still uncommitted), but never the first row of a hold still pending or unrefunded.
      let next = rows[0]?.through === null || rows[0] === undefined ? cursor : BigInt(rows[0].through);
      for (const row of rows) {
        if (row.user_id === null || row.reference_id === null || row.first_id === null) continue;
        const pending = (): void => {
          const before = BigInt(row.first_id ?? '0') - 1n;
          if (before < next) next = before;
        };
        if (row.due !== true) {
          pending();
          continue;
        }
        try {
          const r = await refundIfOrphaned(row.user_id, row.reference_id, cutoff);
          if (r === null) continue;
          refunded.push(r);
          metrics?.holds.inc();
          metrics?.credits.inc(r.credits);
          logger.warn({ userId: r.userId, referenceId: r.referenceId, credits: r.credits }, 'refunded an orphaned credit hold: no version was recorded for it (the request died between hold and settle)');
        } catch (err) {
          pending();
          logger.error({ err, userId: row.user_id, referenceId: row.reference_id }, 'refunding an orphaned credit hold failed; retrying next pass');
        }
      }
      if (next > cursor) cursor = next;
      return refunded;
    },
  };
}

export interface OrphanedHoldSweeperOptions extends OrphanedHoldReconcilerOptions {
  /** Default every 10 minutes; a hold is refunded at most grace + interval after its request died. */
  intervalMs?: number;
}

/** Runs the reconciler once now and then on an interval (startPeriodicTask: runs never overlap). */
export function startOrphanedHoldSweeper({ intervalMs = 600_000, ...options }: OrphanedHoldSweeperOptions): { reconcileOnce(): Promise<RefundedHold[]>; stop(): void } {
  const reconciler = createOrphanedHoldReconciler(options);
  const task = startPeriodicTask({ name: 'orphaned credit hold reconciliation', run: reconciler.reconcileOnce, intervalMs, logger: options.logger, runAtStart: true });
  return { reconcileOnce: task.runOnce, stop: task.stop };
}

function createMetrics(registry: Registry): { holds: Counter; credits: Counter } {
  const registers = [registry];
  // The registry is shared (several apps in tests): register each metric once.
  const get = (name: string, help: string): Counter => (registry.getSingleMetric(name) as Counter | undefined) ?? new Counter({ name, help, registers });
  return {
    holds: get('storyforge_orphaned_holds_refunded_total', 'Credit holds refunded because their generation died before recording a version'),
    credits: get('storyforge_orphaned_hold_credits_refunded_total', 'Credits refunded from orphaned generation holds'),
  };
}
