-- Down of 0003: back to pgvector's type default (EXTERNAL since pgvector 0.6). PG 15 has no SET STORAGE DEFAULT.
ALTER TABLE "characters" ALTER COLUMN "face_embedding" SET STORAGE EXTERNAL;
