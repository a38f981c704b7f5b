package dev.botshift.schema;

import java.util.Optional;

/**
 * Rehearses the expand before it runs: the statements pg_stat_statements holds for the plan's database (blue has been
 * serving, so its cumulative record is blue's) are prepared against the expand applied in a transaction that is
 * rolled back. See docs/schema-engine.md ("The expand rehearsal").
 */
public interface ExpandRehearsal {

    /** Why the rehearsal cannot run on this database (e.g. no pg_stat_statements), or empty when it can; read-only. */
    Optional<String> unavailable();

    /** Applies the pending expand in a rolled-back transaction and prepares what blue ran; changes nothing. */
    RehearsalResult rehearse();

    /** For platforms and fakes without a database: says so, and the rollout goes on without a rehearsal. */
    ExpandRehearsal NONE = new ExpandRehearsal() {
        @Override
        public Optional<String> unavailable() {
            return Optional.of("this platform has no database to rehearse on");
        }

        @Override
        public RehearsalResult rehearse() {
            return new RehearsalResult.Skipped("this platform has no database to rehearse on");
        }
    };
}
