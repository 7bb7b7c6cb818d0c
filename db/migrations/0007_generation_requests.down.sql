-- Down of 0007_generation_requests. Drops the Idempotency-Key records of POST /v1/generations: a retry of
-- a request made before the rollback then runs again (as it did before this migration).
DROP TABLE "generation_requests";
