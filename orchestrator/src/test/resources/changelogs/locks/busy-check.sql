--liquibase formatted sql

--changeset t:l-busy-not-null labels:contract
--comment: lock-light (a NOT VALID check, VALIDATE, SET NOT NULL): its first step still needs ACCESS EXCLUSIVE.
ALTER TABLE busy ALTER COLUMN payload SET NOT NULL;
