--liquibase formatted sql

--changeset botshift:v1-001-user-interactions labels:expand
--comment: v1's table. update_id is unique because chat platforms redeliver the same update.
CREATE TABLE user_interactions (
    id           BIGSERIAL PRIMARY KEY,
    update_id    BIGINT      NOT NULL UNIQUE,
    chat_id      BIGINT      NOT NULL,
    user_id      BIGINT      NOT NULL,
    message_text TEXT        NOT NULL,
    bot_version  TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
--rollback DROP TABLE user_interactions;
