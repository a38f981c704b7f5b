--liquibase formatted sql

--changeset corpus:drop-text labels:expand
ALTER TABLE messages DROP COLUMN sentiment;
