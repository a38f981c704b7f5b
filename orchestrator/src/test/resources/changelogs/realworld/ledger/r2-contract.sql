--liquibase formatted sql

--changeset ledger:r2-c1 labels:contract
--comment: expect: safe (contract)
ALTER TABLE entry DROP COLUMN booked_on;

--changeset ledger:r2-c2 labels:contract
--comment: expect: safe (contract: the old name of the schema goes)
DROP SCHEMA IF EXISTS reporting CASCADE;

--changeset ledger:r2-c3 labels:contract
--comment: expect: safe (contract: NOT NULL lock-light)
ALTER TABLE account ALTER COLUMN iban SET NOT NULL;

--changeset ledger:r2-c4 labels:contract
--comment: expect: unsafe (DROP DATABASE has no place in a release)
DROP DATABASE ledger_legacy;

--changeset ledger:r2-c5 labels:contract
--comment: expect: safe (contract: an old column of the closed-account feature)
ALTER TABLE account DROP COLUMN closed_at;
