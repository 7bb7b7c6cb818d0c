-- Hand-written (drizzle-kit generate --custom: drizzle cannot express column storage).
-- A 512-d vector is 2,056 bytes, just over the ~2 kB TOAST threshold, and pgvector's type default is
-- STORAGE EXTERNAL, so every face embedding lived out of line in the TOAST table: exact scans and the
-- sync snapshot paid one TOAST fetch per row. PLAIN keeps it in the heap row (measured here on 20k rows:
-- exact top-10 51-108 ms vs 302-350 ms). Affects rows written from now on; an existing table keeps old
-- rows out of line until it is rewritten (VACUUM FULL characters) — an operator's call, not a migration's.
ALTER TABLE "characters" ALTER COLUMN "face_embedding" SET STORAGE PLAIN;
