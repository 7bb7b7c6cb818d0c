/** What a retention policy decides about one backup. */
export interface RetentionItem {
  takenAt: Date;
}

export interface RetentionPolicy {
  /** Keep the newest backup of each of this many most recent days (UTC) that have a backup. */
  daily: number;
  /** Keep the newest backup of each of this many most recent ISO weeks that have a backup. */
  weekly: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { daily: 7, weekly: 4 };

export interface RetentionDecision<T extends RetentionItem> {
  keep: T[];
  remove: T[];
}

/** `2026-11-25` (UTC). */
function dayKey(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** ISO 8601 week, `2026-W48`: weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeekKey(at: Date): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
  d.setUTCDate(d.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const year = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * Keeps the newest backup of each of the last `daily` days and of each of the last `weekly` ISO weeks;
 * everything else is removed. "Last" counts periods that HAVE a backup (restic's keep-daily), not
 * calendar periods back from now: if backups stopped for a month, the next run must not delete every
 * older backup. Backups dated after `now` (a clock that jumped) are always kept. Pure: the clock is a
 * parameter.
 */
export function applyRetention<T extends RetentionItem>(
  backups: readonly T[],
  now: Date,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): RetentionDecision<T> {
  const keep = new Set<T>();
  const past = backups.filter((b) => b.takenAt.getTime() <= now.getTime());
  for (const b of backups) if (b.takenAt.getTime() > now.getTime()) keep.add(b);
  const newestFirst = [...past].sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
  keepNewestPerPeriod(newestFirst, dayKey, policy.daily, keep);
  keepNewestPerPeriod(newestFirst, isoWeekKey, policy.weekly, keep);
  return { keep: backups.filter((b) => keep.has(b)), remove: backups.filter((b) => !keep.has(b)) };
}

function keepNewestPerPeriod<T extends RetentionItem>(
  newestFirst: readonly T[],
  period: (at: Date) => string,
  count: number,
  keep: Set<T>,
): void {
  const seen = new Set<string>();
  for (const b of newestFirst) {
    if (seen.size >= count) return;
    const key = period(b.takenAt);
    if (seen.has(key)) continue;
    seen.add(key);
    keep.add(b);
  }
}
