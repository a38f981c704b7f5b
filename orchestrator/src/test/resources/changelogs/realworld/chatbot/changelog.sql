--liquibase formatted sql

--changeset bot:1 labels:expand
--comment: expect: safe (the first release's tables)
CREATE TABLE guild_settings (
    guild_id BIGINT PRIMARY KEY,
    prefix VARCHAR(8) NOT NULL DEFAULT '!',
    welcome_channel BIGINT,
    locale VARCHAR(10)
);
CREATE TABLE warnings (
    id SERIAL PRIMARY KEY,
    guild_id BIGINT NOT NULL REFERENCES guild_settings (guild_id),
    user_id BIGINT NOT NULL,
    reason TEXT,
    created_at TIMESTAMP NOT NULL DEFAULT now()
);
CREATE INDEX warnings_guild_user_idx ON warnings (guild_id, user_id);

--changeset bot:2 labels:expand
--comment: expect: safe (a nullable column)
ALTER TABLE guild_settings ADD COLUMN mod_log_channel BIGINT;

--changeset bot:3 labels:expand
--comment: expect: safe (a boolean with a constant default)
ALTER TABLE guild_settings ADD COLUMN levels_enabled BOOLEAN NOT NULL DEFAULT FALSE;

--changeset bot:4 labels:expand
--comment: expect: safe (a new table)
CREATE TABLE user_levels (
    guild_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    xp BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, user_id)
);

--changeset bot:5 labels:expand
--comment: expect: unsafe (NOT NULL without a default: the old version inserts warnings without it)
ALTER TABLE warnings ADD COLUMN moderator_id BIGINT NOT NULL;

--changeset bot:6 labels:expand
--comment: expect: unsafe (changes created_at's type: a rewrite, and the old version writes timestamps)
ALTER TABLE warnings ALTER COLUMN created_at TYPE TIMESTAMPTZ USING created_at AT TIME ZONE 'UTC';

--changeset bot:7 labels:expand
--comment: expect: safe (widening the prefix)
ALTER TABLE guild_settings ALTER COLUMN prefix TYPE VARCHAR(16);

--changeset bot:8 labels:expand
--comment: expect: safe (a data fix)
UPDATE guild_settings SET locale = 'en-US' WHERE locale IS NULL;

--changeset bot:9 labels:expand
--comment: expect: unsafe (renames a table the old version uses)
ALTER TABLE warnings RENAME TO infractions;

--changeset bot:10 labels:expand
--comment: expect: safe (relaxes a column; a rollback would read NULL reasons, which the old version already handles)
ALTER TABLE warnings ALTER COLUMN user_id DROP NOT NULL;

--changeset bot:11 labels:expand
--comment: expect: safe (an index, built concurrently as Botshift runs it)
CREATE INDEX guild_settings_locale_idx ON guild_settings (locale);

--changeset bot:12 labels:expand
--comment: expect: unsafe (a serial column rewrites user_levels)
ALTER TABLE user_levels ADD COLUMN rank_id BIGSERIAL;

--changeset bot:13 labels:expand
--comment: expect: unsafe (dropping the old version's index blocks every write, and its queries need it)
DROP INDEX warnings_guild_user_idx CASCADE;

--changeset bot:14 labels:contract
--comment: expect: safe (contract: NOT NULL lock-light)
ALTER TABLE guild_settings ALTER COLUMN locale SET NOT NULL;

--changeset bot:15 labels:contract
--comment: expect: safe (contract)
ALTER TABLE guild_settings DROP COLUMN welcome_channel;

--changeset bot:16 labels:contract
--comment: expect: unsafe (COMMIT inside the changeset breaks Liquibase's transaction)
UPDATE user_levels SET xp = 0 WHERE xp < 0;
COMMIT;
