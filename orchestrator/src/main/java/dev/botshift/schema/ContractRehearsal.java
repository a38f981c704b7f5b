package dev.botshift.schema;

import java.util.Optional;

/**
 * Rehearses the point of no return: records the statements run on the database while green has all traffic, then,
 * before the contract, applies the contract in a transaction that is rolled back and prepares every recorded
 * statement against it. See docs/schema-engine.md ("The contract rehearsal").
 */
public interface ContractRehearsal {

    /** Why the rehearsal cannot run on this database (e.g. no pg_stat_statements), or empty when it can; read-only. */
    Optional<String> unavailable();

    /**
     * Starts recording from now, once per rollout: idempotent while a recording runs. Returns what it found when it
     * started (recording, or why it cannot), empty when it had already started.
     */
    Optional<RecordingStart> startRecording();

    /** Applies the contract in a rolled-back transaction and prepares what was recorded; changes nothing. */
    RehearsalResult rehearse();

    /** For platforms and fakes without a database: says so, and the rollout goes on without a rehearsal. */
    ContractRehearsal NONE = new ContractRehearsal() {
        @Override
        public Optional<String> unavailable() {
            return Optional.of("this platform has no database to rehearse on");
        }

        @Override
        public Optional<RecordingStart> startRecording() {
            return Optional.empty();
        }

        @Override
        public RehearsalResult rehearse() {
            return new RehearsalResult.Skipped("this platform has no database to rehearse on");
        }
    };
}
