package dev.botshift.schema.lint;

import java.util.List;
import java.util.Optional;
import liquibase.changelog.ChangeSet;

/**
 * How a changeset will really run, when that differs from how it is written: Botshift's schema engine runs risky
 * statements in lock-light forms (CREATE INDEX CONCURRENTLY, NOT VALID then VALIDATE...), and the linter judges what
 * will run, so it does not refuse a plain {@code CREATE INDEX} that never blocks a write as Botshift runs it.
 */
@FunctionalInterface
public interface RunForms {
    /** The effects of the statements that will run, or empty when the changeset runs as written. */
    Optional<List<Effect>> effects(ChangeSet changeSet);

    /** Judge every changeset as written (plain Liquibase). */
    RunForms AS_WRITTEN = changeSet -> Optional.empty();
}
