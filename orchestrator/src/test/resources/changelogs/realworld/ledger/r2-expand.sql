--liquibase formatted sql

--changeset ledger:r2-1 labels:expand
--comment: expect: safe (a new enum value is additive)
ALTER TYPE entry_kind ADD VALUE IF NOT EXISTS 'adjustment';

--changeset ledger:r2-2 labels:expand
--comment: expect: unsafe (the old version writes 'debit')
ALTER TYPE entry_kind RENAME VALUE 'debit' TO 'charge';

--changeset ledger:r2-3 labels:expand
--comment: expect: unsafe (the old version's function lives in reporting)
ALTER SCHEMA reporting RENAME TO reports;

--changeset ledger:r2-4 labels:expand runInTransaction:false
--comment: expect: safe (the old index goes, concurrently; the new version no longer needs it... in expand it is only slower)
DROP INDEX CONCURRENTLY IF EXISTS account_code_idx;

--changeset ledger:r2-5 labels:expand runInTransaction:false
--comment: expect: unsafe (account_code_idx rebuilt as UNIQUE: the old version may insert duplicate codes)
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS account_code_idx ON account (code);

--changeset ledger:r2-6 labels:expand
--comment: expect: unsafe (an exclusion constraint checks every row while writes wait)
ALTER TABLE entry ADD CONSTRAINT entry_no_overlap EXCLUDE USING gist (account_id WITH =, period WITH &&);

--changeset ledger:r2-7 labels:expand
--comment: expect: unsafe (a stored generated column computes every row)
ALTER TABLE entry ADD COLUMN amount_cents BIGINT GENERATED ALWAYS AS ((amount * 100)::bigint) STORED;

--changeset ledger:r2-8 labels:expand
--comment: expect: safe (a nullable column and a small data fix in separate statements of one changeset)
ALTER TABLE account ADD COLUMN iban TEXT;
INSERT INTO account (code, name) VALUES ('SUSPENSE', 'Suspense account');

--changeset ledger:r2-9 labels:expand
--comment: expect: unsafe (a whole-table backfill after the column is added, in the same transaction)
ALTER TABLE entry ADD COLUMN booked_at TIMESTAMPTZ;
UPDATE entry SET booked_at = booked_on::timestamptz;

--changeset ledger:r2-10 labels:expand
--comment: expect: safe (a backfill in its own changeset)
UPDATE account SET name = initcap(name) WHERE name <> initcap(name);

--changeset ledger:r2-11 labels:expand
--comment: expect: safe (storage settings: no rewrite)
ALTER TABLE entry SET (fillfactor = 90);

--changeset ledger:r2-12 labels:expand
--comment: expect: unsafe (moves the table to another tablespace under ACCESS EXCLUSIVE)
ALTER TABLE entry SET TABLESPACE archive_space;

--changeset ledger:r2-13 labels:expand
--comment: expect: unsafe (CLUSTER rewrites entry)
CLUSTER entry USING entry_account_booked_idx;

--changeset ledger:r2-14 labels:expand
--comment: expect: unsafe (REINDEX without CONCURRENTLY blocks writes)
REINDEX TABLE entry;

--changeset ledger:r2-15 labels:expand
--comment: expect: safe (a new table with a deferrable key, created and constrained in this file)
CREATE TABLE transfer (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    debit_entry BIGINT NOT NULL REFERENCES entry (id) DEFERRABLE INITIALLY DEFERRED,
    credit_entry BIGINT NOT NULL
);
ALTER TABLE transfer ADD CONSTRAINT transfer_credit_fk FOREIGN KEY (credit_entry) REFERENCES entry (id) DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX transfer_debit_idx ON transfer (debit_entry);

--changeset ledger:r2-16 labels:expand
--comment: expect: safe (restart of an identity, a sequence setting)
ALTER TABLE account ALTER COLUMN id RESTART WITH 100000;

--changeset ledger:r2-17 labels:expand
--comment: expect: unsafe (closes the identity: the old version's inserts with explicit ids fail... and worse, drops it)
ALTER TABLE entry ALTER COLUMN id DROP IDENTITY;

--changeset ledger:r2-18 labels:expand
--comment: expect: unsafe (a TRUNCATE of live data)
TRUNCATE transfer_log;

--changeset ledger:r2-19 labels:expand
--comment: expect: safe (statistics for the planner)
CREATE STATISTICS entry_account_kind ON account_id, kind FROM entry;

--changeset ledger:r2-20 labels:expand
--comment: expect: unsafe (a CHECK validated at once scans entry under ACCESS EXCLUSIVE; unnamed, so not rewritten)
ALTER TABLE entry ADD CHECK (amount > 0);

--changeset ledger:r2-21 labels:expand
--comment: expect: safe (a named CHECK: added NOT VALID and validated by the engine)
ALTER TABLE entry ADD CONSTRAINT entry_memo_len CHECK (length(memo) <= 140);

--changeset ledger:r2-22 labels:expand
--comment: expect: unsafe (VARCHAR(140) to VARCHAR(80) shrinks what the old version writes)
ALTER TABLE entry ALTER COLUMN memo TYPE VARCHAR(80);

--changeset ledger:r2-23 labels:expand
--comment: expect: unsafe (the old version's upserts rely on the key)
ALTER TABLE account DROP CONSTRAINT account_pkey;

--changeset ledger:r2-24 labels:expand
--comment: expect: unsafe (a lock held for the whole changeset)
LOCK TABLE account IN EXCLUSIVE MODE;
UPDATE account SET currency = 'EUR' WHERE currency IS NULL;
