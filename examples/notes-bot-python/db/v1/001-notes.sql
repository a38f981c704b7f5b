--liquibase formatted sql

--changeset notes:v1-001-notes labels:expand
--comment: The baseline: one row per chat update. update_id is unique, so a redelivered update is stored once.
CREATE TABLE notes (
    id          BIGSERIAL    PRIMARY KEY,
    update_id   BIGINT       NOT NULL UNIQUE,
    chat_id     BIGINT       NOT NULL,
    body        TEXT         NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
--rollback DROP TABLE notes;
