--liquibase formatted sql

--changeset t:p-expand-table labels:expand
CREATE TABLE phased (id BIGINT PRIMARY KEY, old_col TEXT);

--changeset t:p-expand-column labels:expand
ALTER TABLE phased ADD COLUMN new_col TEXT;

--changeset t:p-contract-drop labels:contract
ALTER TABLE phased DROP COLUMN old_col;
