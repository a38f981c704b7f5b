--liquibase formatted sql

--changeset t:base-customers labels:expand
CREATE TABLE customers (id BIGINT PRIMARY KEY, name VARCHAR(50));

--changeset t:base-orders labels:expand
CREATE TABLE orders (
    id          BIGINT PRIMARY KEY,
    customer_id BIGINT,
    amount      INTEGER,
    note        VARCHAR(50),
    code        VARCHAR(20),
    price       NUMERIC(6,2),
    status      TEXT
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
