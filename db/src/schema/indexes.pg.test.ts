// The indexes serve the queries the app and sync server actually run. Plans, not timings: with seq
// scans, bitmap scans and sorts priced out, the planner must still find a plan that reads the named
// index, and for ordered reads no Sort node (the index order is the query order, collation included).
// On empty tables the planner would otherwise pick whatever is cheapest for 0 rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@storyforge/db/testing';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

async function plan(query: string): Promise<string> {
  return db.sql.begin(async (tx) => {
    await tx`set local enable_seqscan = off`;
    await tx`set local enable_bitmapscan = off`;
    await tx`set local enable_sort = off`;
    const rows = await tx.unsafe<{ 'QUERY PLAN': string }[]>(`explain ${query}`);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}

const id = `'0190f2d8-0000-7000-8000-000000000001'`;
const vec = (dims: number) => `'[${new Array(dims).fill(0.1).join(',')}]'`;

describe('index usage', () => {
  it.each([
    ['scenes of a project in order', `select id from scenes where project_id = ${id} order by position, id limit 50`, 'scenes_project_position_idx', true],
    ['projects of a user', `select id from projects where user_id = ${id}`, 'projects_user_id_idx', false],
    ['versions of a scene', `select id from scene_versions where scene_id = ${id} order by version_number`, 'scene_versions_scene_id_idx', true],
    ['a user ledger, newest first', `select id from credit_ledger where user_id = ${id} order by id desc limit 20`, 'credit_ledger_user_id_idx', true],
    ['idempotency lookup', `select result from processed_mutations where mutation_id = ${id}`, 'processed_mutations_pkey', false],
    ['generation Idempotency-Key lookup', `select fingerprint, state from generation_requests where user_id = ${id} and idempotency_key = 'k'`, 'generation_requests_pkey', false],
    ['pruning generation Idempotency-Keys', `select user_id from generation_requests where updated_at < now() - interval '24 hours'`, 'generation_requests_updated_at_idx', false],
    ['tombstone check', `select 1 from tombstones where table_name = 'scenes' and row_id = ${id}`, 'tombstones_pkey', false],
    ['pruning processed mutations', `select mutation_id from processed_mutations where applied_at < now() - interval '7 days'`, 'processed_mutations_applied_at_idx', false],
    ['semantic cache TTL sweep', `select id from semantic_cache_entries where expires_at <= now()`, 'semantic_cache_entries_expires_at_idx', false],
    ['media by content hash', `select id from media_assets where sha256 = 'ab'`, 'media_assets_sha256_unique', false],
    ['face top-10 (cosine)', `select id from characters order by face_embedding <=> ${vec(512)} limit 10`, 'characters_face_embedding_hnsw_idx', true],
    ['brain style top-10 (cosine)', `select id from brains order by style_vector <=> ${vec(128)} limit 10`, 'brains_style_vector_hnsw_idx', true],
    ['semantic cache top-10 (cosine)', `select id from semantic_cache_entries order by embedding <=> ${vec(1536)} limit 10`, 'semantic_cache_entries_embedding_hnsw_idx', true],
  ])('%s', async (_label, query, index, ordered) => {
    const text = await plan(query);
    expect(text).toContain(index);
    if (ordered) expect(text).not.toMatch(/\bSort\b/);
  });
});
