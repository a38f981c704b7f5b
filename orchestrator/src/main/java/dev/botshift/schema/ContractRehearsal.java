package dev.botshift.schema;

import java.util.Optional;

/**
 * Rehearses the point of no return: records the statements run on the database while green has all traffic, then,
 * before the contract, applies the contract in a transaction that is rolled back and prepares every recorded
 * statement against it. See docs/schema-engine.md ("The contract rehearsal").
 */
public interface ContractRehearsal extends Rehearsal {

    /**
     * Starts recording from now, once per rollout: idempotent while a recording runs. Returns what it found when it
     * started (recording, or why it cannot), empty when it had already started.
     */
    Optional<RecordingStart> startRecording();

    /** For platforms and fakes without a database: says so, and the rollout goes on without a rehearsal. */
    ContractRehearsal NONE = NoDatabaseRehearsal.INSTANCE;
}
