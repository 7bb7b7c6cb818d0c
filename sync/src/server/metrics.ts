import { Counter, Gauge, Registry } from 'prom-client';

export interface SyncMetrics {
  registry: Registry;
  slotLagBytes: Gauge;
  slotSafeWalBytes: Gauge;
  slotRecreated: Counter<'reason'>;
  replicationLagSeconds: Gauge;
  changesIngested: Counter;
  shapes: Gauge;
  liveConnections: Gauge;
}

/** Sync metrics on the injected registry (one per server process; names are prefixed storyforge_sync_). */
export function createSyncMetrics(registry: Registry = new Registry()): SyncMetrics {
  const get = <T>(name: string, make: () => T): T => (registry.getSingleMetric(name) as T | undefined) ?? make();
  return {
    registry,
    slotLagBytes: get('storyforge_sync_slot_lag_bytes', () => new Gauge({ name: 'storyforge_sync_slot_lag_bytes', help: 'WAL retained by the replication slot: pg_current_wal_lsn() - confirmed_flush_lsn', registers: [registry] })),
    slotSafeWalBytes: get('storyforge_sync_slot_safe_wal_bytes', () => new Gauge({ name: 'storyforge_sync_slot_safe_wal_bytes', help: 'WAL that can still be written before Postgres invalidates the slot (pg_replication_slots.safe_wal_size; -1 when max_slot_wal_keep_size is unlimited)', registers: [registry] })),
    slotRecreated: get('storyforge_sync_slot_recreated_total', () => new Counter({ name: 'storyforge_sync_slot_recreated_total', help: 'Replication slot found lost (invalidated past max_slot_wal_keep_size) or missing and recreated; every shape was reset', labelNames: ['reason'] as const, registers: [registry] })),
    replicationLagSeconds: get('storyforge_sync_replication_lag_seconds', () => new Gauge({ name: 'storyforge_sync_replication_lag_seconds', help: 'Now minus the commit time of the last transaction made durable in the shape logs', registers: [registry] })),
    changesIngested: get('storyforge_sync_changes_ingested_total', () => new Counter({ name: 'storyforge_sync_changes_ingested_total', help: 'Row changes read from the replication stream', registers: [registry] })),
    shapes: get('storyforge_sync_shapes', () => new Gauge({ name: 'storyforge_sync_shapes', help: 'Shape instances held by the server', registers: [registry] })),
    liveConnections: get('storyforge_sync_live_connections', () => new Gauge({ name: 'storyforge_sync_live_connections', help: 'Live requests (long-poll and SSE) currently held open', registers: [registry] })),
  };
}
