--liquibase formatted sql

--changeset notes:v2-001-word-count labels:expand
--comment: A nullable column: catalog-only, and v1 keeps inserting without knowing it.
ALTER TABLE notes ADD COLUMN word_count INTEGER;
--rollback ALTER TABLE notes DROP COLUMN word_count;
