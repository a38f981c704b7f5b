--liquibase formatted sql

--changeset botshift:v2-001-sentiment-columns labels:expand
--comment: Migration 1. Nullable columns: catalog-only, and v1 keeps inserting without knowing them.
ALTER TABLE user_interactions ADD COLUMN sentiment_score NUMERIC(4,3);
ALTER TABLE user_interactions ADD COLUMN detailed_log JSONB;
--rollback ALTER TABLE user_interactions DROP COLUMN detailed_log;
--rollback ALTER TABLE user_interactions DROP COLUMN sentiment_score;

--changeset botshift:v2-002-daily-summary labels:expand
--comment: Migration 2. A new table that only v2 writes.
CREATE TABLE daily_sentiment_summary (
    day           DATE           NOT NULL,
    chat_id       BIGINT         NOT NULL,
    messages      INTEGER        NOT NULL DEFAULT 0,
    total_score   NUMERIC(12,3)  NOT NULL DEFAULT 0,
    updated_at    TIMESTAMPTZ    NOT NULL DEFAULT now(),
    PRIMARY KEY (day, chat_id)
);
--rollback DROP TABLE daily_sentiment_summary;
