--liquibase formatted sql

--changeset ledger:r1-1 labels:expand
--comment: expect: safe (first release: types, tables, functions)
CREATE TYPE entry_kind AS ENUM ('debit', 'credit');
CREATE SCHEMA IF NOT EXISTS reporting;
CREATE TABLE account (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code VARCHAR(20) NOT NULL,
    name TEXT NOT NULL,
    currency CHAR(3) NOT NULL DEFAULT 'EUR',
    closed_at TIMESTAMPTZ
);
CREATE TABLE entry (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES account (id),
    kind entry_kind NOT NULL,
    amount NUMERIC(14,2) NOT NULL,
    booked_on DATE NOT NULL,
    memo VARCHAR(140),
    period DATERANGE
);
CREATE INDEX entry_account_booked_idx ON entry (account_id, booked_on);
CREATE INDEX account_code_idx ON account (code);

--changeset ledger:r1-2 labels:expand splitStatements:false
--comment: expect: safe (a new function)
CREATE FUNCTION reporting.balance(acc BIGINT) RETURNS NUMERIC LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(CASE WHEN kind = 'credit' THEN amount ELSE -amount END), 0) FROM entry WHERE account_id = acc
$$;
