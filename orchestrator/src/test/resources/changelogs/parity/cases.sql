--liquibase formatted sql

-- One expand and one contract changeset per row of docs/linter.md's parity table. Tables come from baseline.sql.

--changeset p:volatile-default-expand labels:expand
ALTER TABLE accounts ADD COLUMN token UUID DEFAULT gen_random_uuid();
--changeset p:volatile-default-contract labels:contract
ALTER TABLE orders ADD COLUMN token UUID DEFAULT gen_random_uuid();

--changeset p:constant-default-expand labels:expand
ALTER TABLE accounts ADD COLUMN tier TEXT NOT NULL DEFAULT 'free';
--changeset p:constant-default-contract labels:contract
ALTER TABLE orders ADD COLUMN channel TEXT DEFAULT 'web';

--changeset p:stable-default-expand labels:expand
ALTER TABLE accounts ADD COLUMN seen_at TIMESTAMPTZ DEFAULT now();
--changeset p:stable-default-contract labels:contract
ALTER TABLE orders ADD COLUMN placed_at TIMESTAMPTZ DEFAULT now();

--changeset p:serial-column-expand labels:expand
ALTER TABLE events ADD COLUMN seq BIGSERIAL;
--changeset p:serial-column-contract labels:contract
ALTER TABLE sessions ADD COLUMN seq BIGSERIAL;

--changeset p:identity-column-expand labels:expand
ALTER TABLE events ADD COLUMN num BIGINT GENERATED ALWAYS AS IDENTITY;
--changeset p:identity-column-contract labels:contract
ALTER TABLE sessions ADD COLUMN num BIGINT GENERATED ALWAYS AS IDENTITY;

--changeset p:stored-generated-expand labels:expand
ALTER TABLE orders ADD COLUMN amount_cents INTEGER GENERATED ALWAYS AS (amount * 100) STORED;
--changeset p:stored-generated-contract labels:contract
ALTER TABLE orders ADD COLUMN amount_x2 INTEGER GENERATED ALWAYS AS (amount * 2) STORED;

--changeset p:required-column-expand labels:expand
ALTER TABLE accounts ADD COLUMN country TEXT NOT NULL;
--changeset p:required-column-contract labels:contract
ALTER TABLE accounts ADD COLUMN language TEXT NOT NULL;

--changeset p:set-not-null-expand labels:expand
ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;
--changeset p:set-not-null-contract labels:contract
ALTER TABLE accounts ALTER COLUMN plan SET NOT NULL;

--changeset p:change-type-expand labels:expand
ALTER TABLE accounts ALTER COLUMN score TYPE BIGINT;
--changeset p:change-type-contract labels:contract
ALTER TABLE accounts ALTER COLUMN rank TYPE BIGINT;

--changeset p:widen-type-expand labels:expand
ALTER TABLE accounts ALTER COLUMN note TYPE VARCHAR(40);
--changeset p:widen-type-contract labels:contract
ALTER TABLE accounts ALTER COLUMN label TYPE TEXT;

--changeset p:foreign-key-expand labels:expand
ALTER TABLE orders ADD CONSTRAINT orders_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);
--changeset p:foreign-key-contract labels:contract
ALTER TABLE accounts ADD CONSTRAINT accounts_ref_fk FOREIGN KEY (ref) REFERENCES accounts (id);

--changeset p:check-constraint-expand labels:expand
ALTER TABLE orders ADD CONSTRAINT orders_amount_ck CHECK (amount > 0);
--changeset p:check-constraint-contract labels:contract
ALTER TABLE accounts ADD CONSTRAINT accounts_total_ck CHECK (total >= 0);

--changeset p:unique-constraint-expand labels:expand
ALTER TABLE accounts ADD CONSTRAINT accounts_email_uq UNIQUE (email);
--changeset p:unique-constraint-contract labels:contract
ALTER TABLE accounts ADD CONSTRAINT accounts_name_uq UNIQUE (name);

--changeset p:primary-key-expand labels:expand
ALTER TABLE logs ADD CONSTRAINT logs_pk PRIMARY KEY (id);
--changeset p:primary-key-contract labels:contract
ALTER TABLE logs_old ADD CONSTRAINT logs_old_pk PRIMARY KEY (id);

--changeset p:create-index-expand labels:expand
CREATE INDEX orders_amount_idx ON orders (amount);
--changeset p:create-index-contract labels:contract
CREATE INDEX orders_state_idx ON orders (state);

--changeset p:drop-index-expand labels:expand
DROP INDEX events_at_idx;
--changeset p:drop-index-contract labels:contract
DROP INDEX events_payload_idx;

--changeset p:concurrently-in-transaction-expand labels:expand
CREATE INDEX CONCURRENTLY orders_room_idx ON orders (room);
--changeset p:concurrently-in-transaction-contract labels:contract
DROP INDEX CONCURRENTLY orders_room_idx;

--changeset p:re-runnable-expand labels:expand runInTransaction:false
CREATE INDEX CONCURRENTLY accounts_region_idx ON accounts (region);
--changeset p:re-runnable-contract labels:contract runInTransaction:false
DROP INDEX CONCURRENTLY accounts_region_idx;

--changeset p:drop-column-expand labels:expand
ALTER TABLE accounts DROP COLUMN legacy;
--changeset p:drop-column-contract labels:contract
ALTER TABLE accounts DROP COLUMN old_flag;

--changeset p:drop-table-expand labels:expand
DROP TABLE scratch;
--changeset p:drop-table-contract labels:contract
DROP TABLE archive;

--changeset p:drop-and-create-table-expand labels:expand
DROP TABLE IF EXISTS staging;
CREATE TABLE staging (id BIGINT PRIMARY KEY, token TEXT);
--changeset p:drop-and-create-table-contract labels:contract
DROP TABLE IF EXISTS staging_old;
CREATE TABLE staging_old (id BIGINT PRIMARY KEY);

--changeset p:drop-not-null-expand labels:expand
ALTER TABLE accounts ALTER COLUMN name DROP NOT NULL;
--changeset p:drop-not-null-contract labels:contract
ALTER TABLE accounts ALTER COLUMN email DROP NOT NULL;

--changeset p:rename-column-expand labels:expand
ALTER TABLE accounts RENAME COLUMN nickname TO handle;
--changeset p:rename-column-contract labels:contract
ALTER TABLE accounts RENAME COLUMN region TO area;

--changeset p:rename-table-expand labels:expand
ALTER TABLE orders RENAME TO purchases;
--changeset p:rename-table-contract labels:contract
ALTER TABLE events RENAME TO happenings;

--changeset p:set-schema-expand labels:expand
ALTER TABLE orders SET SCHEMA reporting;
--changeset p:set-schema-contract labels:contract
ALTER TABLE events SET SCHEMA reporting;

--changeset p:rename-object-expand labels:expand
ALTER SEQUENCE invoice_seq RENAME TO bill_seq;
--changeset p:rename-object-contract labels:contract
ALTER INDEX sessions_token_idx RENAME TO sessions_token_index;

--changeset p:rename-enum-value-expand labels:expand
ALTER TYPE mood RENAME VALUE 'bad' TO 'poor';
--changeset p:rename-enum-value-contract labels:contract
ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';

--changeset p:rename-schema-expand labels:expand
ALTER SCHEMA reporting RENAME TO analytics;
--changeset p:rename-schema-contract labels:contract
ALTER SCHEMA analytics RENAME TO reports;

--changeset p:truncate-cascade-expand labels:expand
TRUNCATE accounts CASCADE;
--changeset p:truncate-cascade-contract labels:contract
TRUNCATE orders CASCADE;

--changeset p:drop-database-expand labels:expand
DROP DATABASE legacy_app;
--changeset p:drop-database-contract labels:contract
DROP DATABASE IF EXISTS legacy_app;

--changeset p:transaction-control-expand labels:expand
COMMIT;
--changeset p:transaction-control-contract labels:contract
BEGIN;

--changeset p:timeouts-expand labels:expand
ALTER TABLE accounts ADD COLUMN bio TEXT;
--changeset p:timeouts-contract labels:contract
ALTER TABLE accounts DROP COLUMN bio;

--changeset p:vacuum-full-expand labels:expand runInTransaction:false
VACUUM FULL accounts;
--changeset p:vacuum-full-contract labels:contract runInTransaction:false
VACUUM FULL orders;

--changeset p:cluster-expand labels:expand
CLUSTER events USING events_kind_idx;
--changeset p:cluster-contract labels:contract
CLUSTER sessions USING sessions_token_idx;

--changeset p:reindex-expand labels:expand
REINDEX TABLE accounts;
--changeset p:reindex-contract labels:contract
REINDEX INDEX sessions_token_idx;

--changeset p:reindex-concurrently-expand labels:expand runInTransaction:false
REINDEX TABLE CONCURRENTLY accounts;
--changeset p:reindex-concurrently-contract labels:contract runInTransaction:false
REINDEX INDEX CONCURRENTLY sessions_token_idx;

--changeset p:lock-table-expand labels:expand
LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE;
--changeset p:lock-table-contract labels:contract
LOCK TABLE orders;

--changeset p:set-tablespace-expand labels:expand
ALTER TABLE accounts SET TABLESPACE fast_disk;
--changeset p:set-tablespace-contract labels:contract
ALTER TABLE orders SET TABLESPACE fast_disk;

--changeset p:set-logged-expand labels:expand
ALTER TABLE accounts SET UNLOGGED;
--changeset p:set-logged-contract labels:contract
ALTER TABLE orders SET LOGGED;

--changeset p:refresh-view-expand labels:expand
REFRESH MATERIALIZED VIEW account_totals;
--changeset p:refresh-view-contract labels:contract
REFRESH MATERIALIZED VIEW account_totals;

--changeset p:detach-partition-expand labels:expand
ALTER TABLE audit DETACH PARTITION audit_2024;
--changeset p:detach-partition-contract labels:contract
ALTER TABLE audit DETACH PARTITION audit_2025;

--changeset p:domain-constraint-expand labels:expand
ALTER DOMAIN positive_int ADD CONSTRAINT positive_int_ck CHECK (VALUE > 0);
--changeset p:domain-constraint-contract labels:contract
ALTER DOMAIN positive_int ADD CONSTRAINT positive_int_small CHECK (VALUE < 1000000);

--changeset p:drop-schema-expand labels:expand
DROP SCHEMA reporting;
--changeset p:drop-schema-contract labels:contract
DROP SCHEMA IF EXISTS reporting CASCADE;

--changeset p:drop-sequence-expand labels:expand
DROP SEQUENCE invoice_seq;
--changeset p:drop-sequence-contract labels:contract
DROP SEQUENCE IF EXISTS invoice_seq;

--changeset p:drop-domain-expand labels:expand
DROP DOMAIN positive_int;
--changeset p:drop-domain-contract labels:contract
DROP DOMAIN IF EXISTS positive_int;

--changeset p:drop-constraint-expand labels:expand
ALTER TABLE accounts DROP CONSTRAINT accounts_pkey;
--changeset p:drop-constraint-contract labels:contract
ALTER TABLE orders DROP CONSTRAINT orders_pkey;

--changeset p:drop-expression-expand labels:expand
ALTER TABLE accounts ALTER COLUMN doubled DROP EXPRESSION;
--changeset p:drop-expression-contract labels:contract
ALTER TABLE accounts ALTER COLUMN doubled DROP EXPRESSION IF EXISTS;

--changeset p:drop-extension-expand labels:expand
DROP EXTENSION btree_gist;
--changeset p:drop-extension-contract labels:contract
DROP EXTENSION IF EXISTS btree_gist;

--changeset p:alter-identity-expand labels:expand
ALTER TABLE accounts ALTER COLUMN serial_no DROP IDENTITY;
--changeset p:alter-identity-contract labels:contract
ALTER TABLE accounts ALTER COLUMN serial_no SET GENERATED ALWAYS;

--changeset p:backfill-expand labels:expand
ALTER TABLE accounts ADD COLUMN status_code INTEGER;
UPDATE accounts SET status_code = 0;
--changeset p:backfill-contract labels:contract
ALTER TABLE orders ADD COLUMN state_code INTEGER;
UPDATE orders SET state_code = 0;

--changeset p:json-column-expand labels:expand
ALTER TABLE accounts ADD COLUMN prefs JSON;
--changeset p:json-column-contract labels:contract
ALTER TABLE orders ADD COLUMN extra JSON;

--changeset p:exclusion-constraint-expand labels:expand
ALTER TABLE orders ADD CONSTRAINT orders_no_overlap EXCLUDE USING gist (room WITH =, period WITH &&);
--changeset p:exclusion-constraint-contract labels:contract
ALTER TABLE orders ADD CONSTRAINT orders_no_overlap2 EXCLUDE USING gist (period WITH &&);

--changeset p:unreadable-sql-expand labels:expand
DO $$ BEGIN PERFORM 1; END $$;
--changeset p:unreadable-sql-contract labels:contract
DO $$ BEGIN PERFORM 2; END $$;

--changeset p:side-effect-select-expand labels:expand
SELECT create_hypertable('events', 'at', migrate_data => TRUE);
--changeset p:side-effect-select-contract labels:contract
SELECT create_hypertable('sessions', 'id', migrate_data => TRUE);

--changeset p:wide-index-expand labels:expand runInTransaction:false
CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_wide_idx ON accounts (name, email, plan, status);
--changeset p:wide-index-contract labels:contract runInTransaction:false
DROP INDEX CONCURRENTLY IF EXISTS accounts_wide_idx;

--changeset p:bigint-expand labels:expand
CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(100), at TIMESTAMP, code CHAR(2), serial_id SERIAL);
--changeset p:bigint-contract labels:contract
DROP TABLE notes;

--changeset p:enum-value-expand labels:expand
ALTER TYPE mood ADD VALUE 'meh';
--changeset p:enum-value-contract labels:contract
ALTER TYPE mood ADD VALUE 'great' BEFORE 'ok';

--changeset p:create-domain-expand labels:expand
CREATE DOMAIN email_address AS TEXT CHECK (VALUE LIKE '%@%');
--changeset p:create-domain-contract labels:contract
DROP DOMAIN email_address;

--changeset p:duplicate-assignment-expand labels:expand
UPDATE accounts SET plan = 'a', plan = 'b' WHERE id = 1;
--changeset p:duplicate-assignment-contract labels:contract
UPDATE accounts SET plan = 'a', plan = 'b' WHERE id = 2;

--changeset p:create-extension-expand labels:expand
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--changeset p:create-extension-contract labels:contract
CREATE EXTENSION IF NOT EXISTS citext;

--changeset p:materialized-view-expand labels:expand
CREATE MATERIALIZED VIEW account_plans AS SELECT id, plan FROM accounts;
--changeset p:materialized-view-contract labels:contract
CREATE MATERIALIZED VIEW order_states AS SELECT id, state FROM orders;

--changeset p:statistics-expand labels:expand
CREATE STATISTICS accounts_plan_status ON plan, status FROM accounts;
--changeset p:statistics-contract labels:contract
CREATE STATISTICS orders_state_amount ON state, amount FROM orders;

--changeset p:storage-parameters-expand labels:expand
ALTER TABLE accounts SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.05);
--changeset p:storage-parameters-contract labels:contract
ALTER TABLE orders RESET (fillfactor);

--changeset p:restart-sequence-expand labels:expand
ALTER SEQUENCE invoice_seq RESTART WITH 1000;
ALTER TABLE accounts ALTER COLUMN serial_no RESTART WITH 5000;
--changeset p:restart-sequence-contract labels:contract
ALTER SEQUENCE invoice_seq INCREMENT BY 10;

--changeset p:new-function-expand labels:expand splitStatements:false
CREATE FUNCTION account_count() RETURNS BIGINT LANGUAGE sql AS $$ SELECT count(*) FROM accounts $$;
--changeset p:new-function-contract labels:contract splitStatements:false
CREATE OR REPLACE FUNCTION order_count() RETURNS BIGINT LANGUAGE sql AS $$ SELECT count(*) FROM orders $$;

--changeset p:deferrable-new-table-expand labels:expand
CREATE TABLE shipments (id BIGINT PRIMARY KEY, order_id BIGINT REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED);
ALTER TABLE shipments ADD CONSTRAINT shipments_order_uq UNIQUE (order_id) DEFERRABLE;
--changeset p:deferrable-new-table-contract labels:contract
CREATE TABLE returns (id BIGINT PRIMARY KEY, order_id BIGINT REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED);

--changeset p:recreate-unique-index-expand-drop labels:expand runInTransaction:false
DROP INDEX CONCURRENTLY IF EXISTS sessions_token_idx;
--changeset p:recreate-unique-index-expand labels:expand runInTransaction:false
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS sessions_token_idx ON sessions (token);
--changeset p:recreate-unique-index-contract-drop labels:contract runInTransaction:false
DROP INDEX CONCURRENTLY IF EXISTS events_kind_idx;
--changeset p:recreate-unique-index-contract labels:contract runInTransaction:false
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS events_kind_idx ON events (kind);
