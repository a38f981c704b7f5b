--liquibase formatted sql

--changeset corpus:region labels:expand
ALTER TABLE messages ADD COLUMN region TEXT NOT NULL;
