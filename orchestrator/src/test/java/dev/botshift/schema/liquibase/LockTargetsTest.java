package dev.botshift.schema.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.schema.liquibase.LockTargets.Need;
import org.junit.jupiter.api.Test;

class LockTargetsTest {

    @Test
    void alterTableNeedsItsTableExclusively() {
        assertThat(LockTargets.of("ALTER TABLE user_interactions ADD COLUMN sentiment_score INT;"))
                .containsExactly(new Need("user_interactions", true));
        assertThat(LockTargets.of("ALTER TABLE app.\"Users\" ALTER COLUMN name SET NOT NULL"))
                .containsExactly(new Need("app.\"Users\"", true));
        assertThat(LockTargets.of("ALTER TABLE t ADD CONSTRAINT c CHECK (x IS NOT NULL) NOT VALID"))
                .containsExactly(new Need("t", true));
    }

    @Test
    void foreignKeysAndPlainIndexesBlockWritersOnly() {
        assertThat(LockTargets.of("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id)"))
                .containsExactlyInAnyOrder(new Need("orders", false), new Need("users", false));
        assertThat(LockTargets.of("CREATE INDEX ix ON orders (user_id)")).containsExactly(new Need("orders", false));
        assertThat(LockTargets.of("CREATE TABLE a (id INT PRIMARY KEY, u INT REFERENCES users (id))"))
                .containsExactly(new Need("users", false));
    }

    @Test
    void dropsAndTruncateNeedTheRelation() {
        assertThat(LockTargets.of("DROP TABLE old_stuff")).containsExactly(new Need("old_stuff", true));
        assertThat(LockTargets.of("DROP INDEX ix")).containsExactly(new Need("ix", true));
        assertThat(LockTargets.of("TRUNCATE t")).containsExactly(new Need("t", true));
    }

    @Test
    void statementsThatNeverQueueTheApplicationNeedNothing() {
        assertThat(LockTargets.of("CREATE INDEX CONCURRENTLY ix ON orders (user_id)")).isEmpty();
        assertThat(LockTargets.of("DROP INDEX CONCURRENTLY IF EXISTS ix")).isEmpty();
        assertThat(LockTargets.of("ALTER TABLE t VALIDATE CONSTRAINT c")).isEmpty();
        assertThat(LockTargets.of("UPDATE t SET a = 0 WHERE a IS NULL")).isEmpty();
        assertThat(LockTargets.of("CREATE TABLE fresh (id INT)")).isEmpty();
        assertThat(LockTargets.of("DO $$ BEGIN PERFORM 1; END $$")).isEmpty();
        assertThat(LockTargets.of("this is not sql")).isEmpty();
    }
}
