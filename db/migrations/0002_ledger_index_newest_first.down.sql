-- Down of 0002_ledger_index_newest_first: back to 0000's index order (DESC NULLS LAST).
DROP INDEX "credit_ledger_user_id_idx";
CREATE INDEX "credit_ledger_user_id_idx" ON "credit_ledger" USING btree ("user_id","id" DESC NULLS LAST);
