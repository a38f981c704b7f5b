--liquibase formatted sql

--changeset notes:v2-002-backfill labels:contract
--comment: Rows v1 wrote get their count, so the column can be NOT NULL. Idempotent: only rows still NULL.
UPDATE notes SET word_count = cardinality(regexp_split_to_array(trim(body), '\s+')) - (CASE WHEN trim(body) = '' THEN 1 ELSE 0 END)
 WHERE word_count IS NULL;

--changeset notes:v2-003-not-null labels:contract
--comment: Only v2 runs now and it always writes word_count; v1's inserts (without it) would fail from here on.
ALTER TABLE notes ALTER COLUMN word_count SET NOT NULL;
--rollback ALTER TABLE notes ALTER COLUMN word_count DROP NOT NULL;
