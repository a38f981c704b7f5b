--liquibase formatted sql

--changeset t:slow-base labels:expand
CREATE TABLE slow (id BIGINT PRIMARY KEY);

--changeset t:slow-contract labels:contract
SELECT pg_sleep(30);
