-- Hand-written (drizzle-kit generate --custom: drizzle cannot express table storage parameters).
-- Every L2 hit updates its entry's hit_count and last_hit_at. Neither is indexed, so the update can be
-- HOT (heap-only: no index entry, the HNSW graph untouched) — but only if the new row version fits on
-- the same page, and at the default fillfactor 100 inserts leave pages full: each hit then re-inserted
-- the row into every index, the 1536-d HNSW graph included (slow, and it grows the graph with dead
-- tuples until VACUUM). 75 keeps a quarter of each page for those versions. Applies to pages written
-- from now on; existing pages keep their packing until the table is rewritten (an operator's call).
ALTER TABLE "semantic_cache_entries" SET (fillfactor = 75);
