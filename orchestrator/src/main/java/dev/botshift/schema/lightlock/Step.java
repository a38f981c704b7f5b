package dev.botshift.schema.lightlock;

/**
 * One statement of a lock-light form. Each runs on its own (autocommit) transaction with {@code lock_timeout}, and
 * is retried on its own after a lock timeout, so every step is written to be safe to run again.
 */
public sealed interface Step {

    /** What {@code botshift plan} prints for the step. */
    String display();

    /** Run this SQL as written. */
    record Run(String sql) implements Step {
        @Override
        public String display() {
            return sql + ";";
        }
    }

    /**
     * A failed {@code CREATE INDEX CONCURRENTLY} (lock timeout, duplicate key, cancel) leaves an INVALID index behind
     * that the next attempt would trip over: drop it, concurrently, but only when it exists and is invalid.
     */
    record DropIndexIfInvalid(String index) implements Step {
        public String dropSql() {
            return "DROP INDEX CONCURRENTLY IF EXISTS " + index;
        }

        @Override
        public String display() {
            return "-- if a failed attempt left index " + index + " INVALID: " + dropSql() + ";";
        }
    }
}
