--liquibase formatted sql

--changeset sca:v5.1.0-1 labels:expand runInTransaction:false
--comment: expect: safe (an index built concurrently, written to be re-run)
CREATE INDEX CONCURRENTLY IF NOT EXISTS component_name_trgm_idx ON component USING gin (name gin_trgm_ops);

--changeset sca:v5.1.0-2 labels:expand runInTransaction:false
--comment: expect: safe (the same without IF NOT EXISTS: Botshift makes it re-runnable)
CREATE INDEX CONCURRENTLY component_project_idx ON component (project_id);

--changeset sca:v5.1.0-3 labels:expand
--comment: expect: safe (a materialized view of existing tables)
CREATE MATERIALIZED VIEW project_component_count AS SELECT project_id, count(*) AS n FROM component GROUP BY project_id;

--changeset sca:v5.1.0-4 labels:expand
--comment: expect: unsafe (refreshing without CONCURRENTLY blocks readers of the view)
REFRESH MATERIALIZED VIEW project_component_count;

--changeset sca:v5.1.0-5 labels:expand
--comment: expect: unsafe (a volatile default rewrites component)
ALTER TABLE component ADD COLUMN scan_token UUID NOT NULL DEFAULT gen_random_uuid();

--changeset sca:v5.1.0-6 labels:expand
--comment: expect: safe (a plain nullable column)
ALTER TABLE component ADD COLUMN IF NOT EXISTS licence TEXT;

--changeset sca:v5.1.0-7 labels:expand
--comment: expect: unsafe (a procedural block the linter cannot vouch for, on a live table)
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'project_name_uq') THEN
        ALTER TABLE project ADD CONSTRAINT project_name_uq UNIQUE (name);
    END IF;
END
$$;

--changeset sca:v5.1.0-8 labels:expand
--comment: expect: unsafe (an ordinary UNIQUE constraint builds its index blocking writes; unnamed: not rewritten)
ALTER TABLE project ADD UNIQUE (name);

--changeset sca:v5.1.0-9 labels:expand
--comment: expect: safe (a CHECK added NOT VALID)
ALTER TABLE component ADD CONSTRAINT component_name_ck CHECK (length(name) > 0) NOT VALID;

--changeset sca:v5.1.0-10 labels:expand
--comment: expect: unsafe (the old version reads active)
ALTER TABLE project DROP COLUMN active;

--changeset sca:v5.1.0-11 labels:expand
--comment: expect: unsafe (turns component into a hypertable, migrating its rows)
SELECT create_hypertable('component', 'id', migrate_data => TRUE, chunk_time_interval => 100000);

--changeset sca:v5.1.0-12 labels:contract runInTransaction:false
--comment: expect: safe (contract)
DROP INDEX CONCURRENTLY IF EXISTS component_purl_idx;

--changeset sca:v5.1.0-13 labels:contract
--comment: expect: safe (contract: set NOT NULL lock-light)
ALTER TABLE component ALTER COLUMN purl SET NOT NULL;
