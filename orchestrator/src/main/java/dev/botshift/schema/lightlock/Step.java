package dev.botshift.schema.lightlock;

import dev.botshift.schema.PasswordLiterals;

/**
 * One statement of a lock-light form. Each runs on its own (autocommit) transaction with {@code lock_timeout}, and
 * is retried on its own after a lock timeout, so every step is written to be safe to run again.
 */
public sealed interface Step {

    /**
     * The step as people see it: what {@code botshift plan} prints, and what a progress line or a failure quotes (its
     * password literals hidden, as everywhere SQL is shown).
     */
    String display();

    /**
     * Run this SQL as written.
     *
     * @param housekeeping true for the form's own tidying (dropping a leftover of an interrupted attempt, or the
     *                     temporary check once {@code SET NOT NULL} has used it): not a change the changeset asked
     *                     for, so the linter does not judge it
     */
    record Run(String sql, boolean housekeeping) implements Step {
        public Run(String sql) {
            this(sql, false);
        }

        static Run housekeeping(String sql) {
            return new Run(sql, true);
        }

        @Override
        public String display() {
            return PasswordLiterals.hidden(sql) + ";";
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
