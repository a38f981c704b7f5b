package dev.botshift.schema;

import java.util.Optional;

/**
 * What the expand and the contract rehearsal share: whether one can run here, and the rehearsal itself, which
 * applies the phase's pending changesets in a transaction that is rolled back and prepares the recorded statements
 * against them. See docs/schema-engine.md.
 */
public interface Rehearsal {

    /** Why the rehearsal cannot run on this database (e.g. no pg_stat_statements), or empty when it can; read-only. */
    Optional<String> unavailable();

    /** Applies the pending changesets in a rolled-back transaction and prepares what was recorded; changes nothing. */
    RehearsalResult rehearse();
}
