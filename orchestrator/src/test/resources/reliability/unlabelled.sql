--liquibase formatted sql

--changeset corpus:add-mood
ALTER TABLE messages ADD COLUMN mood TEXT;
