-- Down of 0000_initial: drop everything it created, children before parents. The vector extension
-- is left installed on purpose: objects outside this schema or a DBA may rely on it, and IF NOT EXISTS
-- makes the up migration idempotent about it.
DROP TRIGGER IF EXISTS "credit_ledger_append_only" ON "credit_ledger";
DROP FUNCTION IF EXISTS "credit_ledger_append_only"();
DROP TABLE "processed_mutations";
DROP TABLE "tombstones";
DROP TABLE "credit_ledger";
DROP TABLE "scene_versions";
DROP TABLE "characters";
DROP TABLE "scenes";
DROP TABLE "projects";
DROP TABLE "brains";
DROP TABLE "format_templates";
DROP TABLE "users";
