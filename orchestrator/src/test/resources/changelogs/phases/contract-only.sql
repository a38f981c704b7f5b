--liquibase formatted sql

--changeset t:c-only-drop labels:contract
DROP TABLE IF EXISTS retired;
