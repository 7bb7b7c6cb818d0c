-- Down of 0004_semantic_cache_expiry_index.
DROP INDEX "semantic_cache_entries_expires_at_idx";
