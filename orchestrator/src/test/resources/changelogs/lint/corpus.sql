--liquibase formatted sql

--changeset t:s-add-nullable labels:expand
ALTER TABLE orders ADD COLUMN shipped_at TIMESTAMPTZ;

--changeset t:s-add-not-null-default labels:expand
ALTER TABLE orders ADD COLUMN channel TEXT NOT NULL DEFAULT 'web';

--changeset t:u-add-not-null-no-default labels:expand
ALTER TABLE orders ADD COLUMN region TEXT NOT NULL;

--changeset t:u-drop-column labels:expand
ALTER TABLE orders DROP COLUMN status;

--changeset t:u-drop-table labels:expand
DROP TABLE customers;

--changeset t:u-rename-column labels:expand
ALTER TABLE orders RENAME COLUMN note TO remark;

--changeset t:u-rename-table labels:expand
ALTER TABLE orders RENAME TO purchases;

--changeset t:u-type-change labels:expand
ALTER TABLE orders ALTER COLUMN amount TYPE BIGINT;

--changeset t:s-widen-varchar labels:expand
ALTER TABLE orders ALTER COLUMN code TYPE VARCHAR(40);

--changeset t:s-varchar-to-text labels:expand
ALTER TABLE orders ALTER COLUMN code SET DATA TYPE TEXT;

--changeset t:s-widen-numeric labels:expand
ALTER TABLE orders ALTER COLUMN price TYPE NUMERIC(10,2);

--changeset t:u-set-not-null labels:expand
ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;

--changeset t:s-check-not-valid labels:expand
ALTER TABLE orders ADD CONSTRAINT orders_amount_ck CHECK (amount IS NOT NULL) NOT VALID;

--changeset t:u-check-validated labels:expand
ALTER TABLE orders ADD CONSTRAINT orders_amount_pos CHECK (amount > 0);

--changeset t:s-fk-not-valid labels:expand
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;

--changeset t:u-fk-validated labels:expand
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk2 FOREIGN KEY (customer_id) REFERENCES customers (id);

--changeset t:u-unique labels:expand
ALTER TABLE orders ADD CONSTRAINT orders_code_uq UNIQUE (code);

--changeset t:s-index-concurrently labels:expand runInTransaction:false
CREATE UNIQUE INDEX CONCURRENTLY orders_code_idx ON orders (code);

--changeset t:s-unique-using-index labels:expand
ALTER TABLE orders ADD CONSTRAINT orders_code_uq2 UNIQUE USING INDEX orders_code_idx;

--changeset t:u-index-blocking labels:expand
CREATE INDEX orders_amount_idx ON orders (amount);

--changeset t:u-concurrently-in-transaction labels:expand
CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);

--changeset t:u-drop-index labels:expand
DROP INDEX orders_customer_idx;

--changeset t:s-drop-index-concurrently labels:contract runInTransaction:false
DROP INDEX CONCURRENTLY orders_customer_idx;

--changeset t:s-new-table-index labels:expand
CREATE TABLE audit (id BIGINT PRIMARY KEY, order_id BIGINT NOT NULL);
CREATE INDEX audit_order_idx ON audit (order_id);
ALTER TABLE audit ADD CONSTRAINT audit_order_fk FOREIGN KEY (order_id) REFERENCES orders (id);

--changeset t:s-backfill labels:expand
UPDATE orders SET channel = 'web' WHERE channel IS NULL;

--changeset t:s-contract-validate labels:contract
ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_ck;

--changeset t:s-contract-drop labels:contract
ALTER TABLE orders DROP COLUMN status;

--changeset t:w-contract-additive labels:contract
ALTER TABLE orders ADD COLUMN late_idea TEXT;

--changeset t:e-no-label
ALTER TABLE orders ADD COLUMN unlabelled TEXT;

--changeset t:e-both-labels labels:expand,contract
ALTER TABLE orders ADD COLUMN both_phases TEXT;

--changeset t:w-unclassified labels:expand
ALTER TABLE orders DISABLE TRIGGER ALL;

--changeset t:u-cluster labels:expand
CLUSTER orders USING orders_customer_idx;

--changeset t:a-accepted-drop labels:expand
--comment: botshift:accept expand-drop-column nothing has read legacy_flag since 1.4
ALTER TABLE orders DROP COLUMN legacy_flag;

--changeset t:u-accept-without-reason labels:expand
--comment: botshift:accept expand-drop-column
ALTER TABLE orders DROP COLUMN other_flag;
