--liquibase formatted sql

--changeset t:l-busy-column labels:expand
--comment: catalog-only, but still needs ACCESS EXCLUSIVE for an instant: it must not queue writers for long.
ALTER TABLE busy ADD COLUMN extra TEXT;
