--liquibase formatted sql

--changeset botshift:v2-003-backfill labels:contract runInTransaction:false splitStatements:false
--comment: Migration 3, part 1: rows v1 wrote before the switch get neutral values, so the constraints can hold. Batched by id, 5,000 rows per transaction: one UPDATE over the whole table would hold every row's lock until it commits, and live updates of those rows would wait for seconds. Idempotent: a re-run (after a crash or a lock_timeout) touches only the rows still NULL. botshift:accept unclassified-statement a PL/pgSQL loop of UPDATEs on two columns, data only
DO $$
DECLARE
    batch_start BIGINT;
    last_id     BIGINT;
BEGIN
    SELECT min(id), max(id) INTO batch_start, last_id FROM user_interactions
     WHERE sentiment_score IS NULL OR detailed_log IS NULL;
    WHILE batch_start <= last_id LOOP
        UPDATE user_interactions
           SET sentiment_score = COALESCE(sentiment_score, 0),
               detailed_log    = COALESCE(detailed_log, '{}'::jsonb)
         WHERE id >= batch_start AND id < batch_start + 5000
           AND (sentiment_score IS NULL OR detailed_log IS NULL);
        COMMIT;
        batch_start := batch_start + 5000;
    END LOOP;
END $$;

--changeset botshift:v2-004-not-null labels:contract
--comment: Migration 3, part 2: only v2 writes now, and it always writes both columns.
ALTER TABLE user_interactions ALTER COLUMN sentiment_score SET NOT NULL;
ALTER TABLE user_interactions ALTER COLUMN detailed_log SET NOT NULL;
--rollback ALTER TABLE user_interactions ALTER COLUMN detailed_log DROP NOT NULL;
--rollback ALTER TABLE user_interactions ALTER COLUMN sentiment_score DROP NOT NULL;
