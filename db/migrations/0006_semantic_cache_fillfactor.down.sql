-- Down of 0006_semantic_cache_fillfactor.
ALTER TABLE "semantic_cache_entries" RESET (fillfactor);
