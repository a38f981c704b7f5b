--liquibase formatted sql

--changeset t:l-busy-table labels:expand
CREATE TABLE busy (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL);
