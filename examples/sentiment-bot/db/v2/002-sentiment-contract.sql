--liquibase formatted sql

--changeset botshift:v2-003-backfill labels:contract
--comment: Migration 3, part 1: rows v1 wrote before the switch get neutral values, so the constraints can hold.
UPDATE user_interactions SET sentiment_score = 0 WHERE sentiment_score IS NULL;
UPDATE user_interactions SET detailed_log = '{}'::jsonb WHERE detailed_log IS NULL;

--changeset botshift:v2-004-not-null labels:contract
--comment: Migration 3, part 2: only v2 writes now, and it always writes both columns.
ALTER TABLE user_interactions ALTER COLUMN sentiment_score SET NOT NULL;
ALTER TABLE user_interactions ALTER COLUMN detailed_log SET NOT NULL;
--rollback ALTER TABLE user_interactions ALTER COLUMN detailed_log DROP NOT NULL;
--rollback ALTER TABLE user_interactions ALTER COLUMN sentiment_score DROP NOT NULL;
