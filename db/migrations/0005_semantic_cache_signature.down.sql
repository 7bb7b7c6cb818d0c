-- Down of 0005_semantic_cache_signature.
ALTER TABLE "semantic_cache_entries" DROP COLUMN "embedding_signature";
DROP FUNCTION "prompt_embedding_signature"(vector);
