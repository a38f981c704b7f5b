--liquibase formatted sql

--changeset corpus:rename labels:expand
ALTER TABLE messages RENAME COLUMN sentiment TO mood;
