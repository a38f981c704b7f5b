--liquibase formatted sql

--changeset t:ra-table labels:expand
CREATE TABLE expand_runs (n SERIAL PRIMARY KEY);

--changeset t:ra-count labels:expand runAlways:true
INSERT INTO expand_runs DEFAULT VALUES;
