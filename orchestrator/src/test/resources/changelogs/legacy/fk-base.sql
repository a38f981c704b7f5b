--liquibase formatted sql

--changeset t:fk-base labels:expand
CREATE TABLE accounts (id BIGINT PRIMARY KEY);
CREATE TABLE notes (id BIGINT PRIMARY KEY);
CREATE TABLE orders (id BIGINT PRIMARY KEY, account_id BIGINT, customer_id BIGINT, note_id BIGINT, code TEXT);
ALTER TABLE orders ADD CONSTRAINT orders_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);
ALTER TABLE orders ADD CONSTRAINT orders_note_fk FOREIGN KEY (note_id) REFERENCES notes (id);
ALTER TABLE orders ADD CONSTRAINT orders_code_uq UNIQUE (code);
