--liquibase formatted sql

--changeset t:p-expand-table labels:expand
CREATE TABLE phased (id BIGINT PRIMARY KEY, old_col TEXT);

--changeset t:p-unlabelled
ALTER TABLE phased ADD COLUMN anywhere TEXT;
