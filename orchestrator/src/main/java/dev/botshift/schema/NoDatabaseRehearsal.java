package dev.botshift.schema;

import java.util.Optional;

/** Both rehearsals where there is no database (platforms and fakes): says so, and the rollout goes on without one. */
final class NoDatabaseRehearsal implements ExpandRehearsal, ContractRehearsal {
    static final NoDatabaseRehearsal INSTANCE = new NoDatabaseRehearsal();
    private static final String WHY = "this platform has no database to rehearse on";

    private NoDatabaseRehearsal() {
    }

    @Override
    public Optional<String> unavailable() {
        return Optional.of(WHY);
    }

    @Override
    public Optional<RecordingStart> startRecording() {
        return Optional.empty();
    }

    @Override
    public RehearsalResult rehearse() {
        return new RehearsalResult.Skipped(WHY);
    }
}
