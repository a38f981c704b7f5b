--liquibase formatted sql

--changeset t:index-rewritten labels:expand
CREATE INDEX orders_amount_idx ON orders (amount);

--changeset t:index-opted-out labels:expand
--comment: botshift:plain the table is tiny and must be indexed in the same transaction as something else
CREATE INDEX orders_note_idx ON orders (note);

--changeset t:index-unnamed labels:expand
CREATE INDEX ON orders (status);

--changeset t:not-null-rewritten labels:contract
ALTER TABLE orders ALTER COLUMN amount SET NOT NULL;
