package dev.botshift.rollout;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.botshift.analysis.CheckResult;
import dev.botshift.analysis.Counts;
import dev.botshift.analysis.Verdict;
import dev.botshift.core.Split;
import dev.botshift.schema.RehearsalResult;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.traffic.GuardTrip;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The audit trail: kept in the state's history, shown by the display, sent to notifications and Kubernetes Events.
 * Events carry types (the phases, the verdict's kind, the command), so every subscriber switches on types, never
 * on text. Each says what it cannot be without (its time, the phases of a change): a stored history missing one is
 * refused when read ({@link RolloutStateCodec#decode}), not found out later by whatever shows it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = RolloutEvent.Started.class, name = "Started"),
        @JsonSubTypes.Type(value = RolloutEvent.PhaseChanged.class, name = "PhaseChanged"),
        @JsonSubTypes.Type(value = RolloutEvent.SchemaApplied.class, name = "SchemaApplied"),
        @JsonSubTypes.Type(value = RolloutEvent.TrafficShifted.class, name = "TrafficShifted"),
        @JsonSubTypes.Type(value = RolloutEvent.SplitCorrected.class, name = "SplitCorrected"),
        @JsonSubTypes.Type(value = RolloutEvent.AnalysisResult.class, name = "AnalysisResult"),
        @JsonSubTypes.Type(value = RolloutEvent.CommandAccepted.class, name = "CommandAccepted"),
        @JsonSubTypes.Type(value = RolloutEvent.CommandRefused.class, name = "CommandRefused"),
        @JsonSubTypes.Type(value = RolloutEvent.GateReached.class, name = "GateReached"),
        @JsonSubTypes.Type(value = RolloutEvent.RolledBack.class, name = "RolledBack"),
        @JsonSubTypes.Type(value = RolloutEvent.EffectFailed.class, name = "EffectFailed"),
        @JsonSubTypes.Type(value = RolloutEvent.StatementsRecording.class, name = "StatementsRecording"),
        @JsonSubTypes.Type(value = RolloutEvent.ContractRehearsed.class, name = "ContractRehearsed"),
        @JsonSubTypes.Type(value = RolloutEvent.ExpandRehearsed.class, name = "ExpandRehearsed"),
        @JsonSubTypes.Type(value = RolloutEvent.PostContractFailed.class, name = "PostContractFailed"),
        @JsonSubTypes.Type(value = RolloutEvent.DataPlaneRepaired.class, name = "DataPlaneRepaired"),
        @JsonSubTypes.Type(value = RolloutEvent.GuardTripped.class, name = "GuardTripped"),
        @JsonSubTypes.Type(value = RolloutEvent.DriverBlocked.class, name = "DriverBlocked"),
        @JsonSubTypes.Type(value = RolloutEvent.DriverUnblocked.class, name = "DriverUnblocked"),
        @JsonSubTypes.Type(value = RolloutEvent.GreenProgress.class, name = "GreenProgress")
})
public sealed interface RolloutEvent {
    Instant at();

    /** One line for logs and notifications. */
    String describe();

    /** The same event, stamped {@code when} (an event is stamped when what it describes has happened). */
    RolloutEvent at(Instant when);

    record Started(Instant at, String release, int attempt, String stableVersion) implements RolloutEvent {
        public Started {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(release, "release");
        }

        public String describe() {
            return "rollout of " + release + " started (attempt " + attempt
                    + (stableVersion == null ? ", first release" : ", replacing " + stableVersion) + ")";
        }

        public Started at(Instant when) {
            return new Started(when, release, attempt, stableVersion);
        }
    }

    record PhaseChanged(Instant at, Phase from, Phase to, String reason) implements RolloutEvent {
        public PhaseChanged {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        /** {@code FROM → TO: reason}; within one phase (the next step of SHIFTING) {@code PHASE: reason}. */
        public String describe() {
            String change = from.code().equals(to.code()) ? to.code() : from.code() + " → " + to.code();
            return change + (reason == null || reason.isEmpty() ? "" : ": " + reason);
        }

        public PhaseChanged at(Instant when) {
            return new PhaseChanged(when, from, to, reason);
        }
    }

    record SchemaApplied(Instant at, SchemaPhase phase, List<String> changeSets, int lockRetries) implements RolloutEvent {
        public SchemaApplied {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(changeSets, "changeSets");
        }

        public String describe() {
            return phase.label() + " applied " + changeSets.size() + " changeset(s)"
                    + (changeSets.isEmpty() ? "" : " " + changeSets)
                    + (lockRetries > 0 ? ", " + lockRetries + " lock-timeout retries" : "");
        }

        public SchemaApplied at(Instant when) {
            return new SchemaApplied(when, phase, changeSets, lockRetries);
        }
    }

    /** @param noBlue true for a first release: there is no blue to name (null in records of older versions) */
    record TrafficShifted(Instant at, Split split, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean noBlue)
            implements RolloutEvent {
        public TrafficShifted {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(split, "split");
        }

        public String describe() {
            return Boolean.TRUE.equals(noBlue) ? "traffic green " + split.green() + "% (first release: no blue)"
                    : "traffic " + split;
        }

        public TrafficShifted at(Instant when) {
            return new TrafficShifted(when, split, noBlue);
        }
    }

    /** The router's split in force was not the one set (someone edited it, or a write was lost): set again. */
    record SplitCorrected(Instant at, Split expected, Split actual) implements RolloutEvent {
        public SplitCorrected {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(expected, "expected");
            Objects.requireNonNull(actual, "actual");
        }

        public String describe() {
            return "the router had traffic " + actual + " instead of " + expected + ": set again";
        }

        public SplitCorrected at(Instant when) {
            return new SplitCorrected(when, expected, actual);
        }
    }

    /** @param checks each custom check's and resource signal's result, dry-run ones too; empty without checks */
    record AnalysisResult(Instant at, Verdict.Kind verdict, String reason, Counts blue, Counts green,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<CheckResult> checks)
            implements RolloutEvent {
        public AnalysisResult {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(verdict, "verdict");
            checks = checks == null ? List.of() : List.copyOf(checks);
        }

        public AnalysisResult(Instant at, Verdict.Kind verdict, String reason, Counts blue, Counts green) {
            this(at, verdict, reason, blue, green, List.of());
        }

        public String describe() {
            return "analysis " + verdict + ": " + reason;
        }

        public AnalysisResult at(Instant when) {
            return new AnalysisResult(when, verdict, reason, blue, green, checks);
        }
    }

    /** @param requestId the {@link Request}'s id: the CLI that asked waits for this answer */
    record CommandAccepted(Instant at, Request.Kind command, String by, String requestId) implements RolloutEvent {
        public CommandAccepted {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(command, "command");
        }

        public String describe() {
            return command.text() + " by " + by;
        }

        public CommandAccepted at(Instant when) {
            return new CommandAccepted(when, command, by, requestId);
        }
    }

    record CommandRefused(Instant at, Request.Kind command, String by, String why, String requestId)
            implements RolloutEvent {
        public CommandRefused {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(command, "command");
        }

        public String describe() {
            return command.text() + " by " + by + " refused: " + why;
        }

        public CommandRefused at(Instant when) {
            return new CommandRefused(when, command, by, why, requestId);
        }
    }

    record GateReached(Instant at, String gate) implements RolloutEvent {
        public GateReached {
            Objects.requireNonNull(at, "at");
        }

        public String describe() {
            return "waiting for approval (" + gate + "): run botshift promote";
        }

        public GateReached at(Instant when) {
            return new GateReached(when, gate);
        }
    }

    record RolledBack(Instant at, String reason) implements RolloutEvent {
        public RolledBack {
            Objects.requireNonNull(at, "at");
        }

        public String describe() {
            return "rolled back: " + reason;
        }

        public RolledBack at(Instant when) {
            return new RolledBack(when, reason);
        }
    }

    record EffectFailed(Instant at, String effect, String error) implements RolloutEvent {
        public EffectFailed {
            Objects.requireNonNull(at, "at");
        }

        public String describe() {
            return effect + " failed: " + error;
        }

        public EffectFailed at(Instant when) {
            return new EffectFailed(when, effect, error);
        }
    }

    /**
     * Green got all traffic: the statements it runs are recorded from now for the contract rehearsal, or cannot be
     * (then {@code recording} is false and {@code detail} says why the rehearsal will be skipped).
     */
    record StatementsRecording(Instant at, boolean recording, String detail) implements RolloutEvent {
        public StatementsRecording {
            Objects.requireNonNull(at, "at");
        }

        public String describe() {
            return detail;
        }

        public StatementsRecording at(Instant when) {
            return new StatementsRecording(when, recording, detail);
        }
    }

    /** What the contract rehearsal found; a {@link RehearsalResult.Refused} holds the rollout before the contract. */
    record ContractRehearsed(Instant at, RehearsalResult result) implements RolloutEvent {
        public ContractRehearsed {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(result, "result");
        }

        public String describe() {
            return result.describe();
        }

        public ContractRehearsed at(Instant when) {
            return new ContractRehearsed(when, result);
        }
    }

    /**
     * What the expand rehearsal found; a {@link RehearsalResult.Refused} ends the rollout before any expand changeset
     * runs (blue untouched).
     */
    record ExpandRehearsed(Instant at, RehearsalResult result) implements RolloutEvent {
        public ExpandRehearsed {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(result, "result");
        }

        public String describe() {
            return result.describe(RehearsalResult.Of.EXPAND);
        }

        public ExpandRehearsed at(Instant when) {
            return new ExpandRehearsed(when, result);
        }
    }

    /** Green failed its judge after the contract: no rollback is possible, the rollout is FAILED (forward-fix). */
    record PostContractFailed(Instant at, String reason) implements RolloutEvent {
        public PostContractFailed {
            Objects.requireNonNull(at, "at");
        }

        public String describe() {
            return "green failed after the contract (rollback is impossible; forward-fix, see docs/runbook.md): " + reason;
        }

        public PostContractFailed at(Instant when) {
            return new PostContractFailed(when, reason);
        }
    }

    /**
     * What drives the rollout repaired the data plane on its own: a router that died was started again with the
     * stored split, a colour's dead instance was taken out of the router and replaced.
     */
    record DataPlaneRepaired(Instant at, String what) implements RolloutEvent {
        public DataPlaneRepaired {
            Objects.requireNonNull(at, "at");
        }

        public String describe() {
            return what;
        }

        public DataPlaneRepaired at(Instant when) {
            return new DataPlaneRepaired(when, what);
        }
    }

    /**
     * The Botshift router's own guard cut green to 0 % (stamped when it did, which may be long before a supervisor saw
     * it): the rollout rolls back for this reason.
     */
    record GuardTripped(Instant at, GuardTrip trip) implements RolloutEvent {
        public GuardTripped {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(trip, "trip");
        }

        public String describe() {
            return trip.describe();
        }

        public GuardTripped at(Instant when) {
            return new GuardTripped(when, trip);
        }
    }

    /**
     * What should drive the rollout cannot start it (on Kubernetes: the controller could not read the release's plan
     * or assemble its platform, e.g. a missing HTTPRoute or a Role without the app's names) and tries again: the
     * rollout waits, unjudged, until the cause is fixed. Recorded once per cause, so a follower sees why.
     */
    record DriverBlocked(Instant at, String driver, String why) implements RolloutEvent {
        public DriverBlocked {
            Objects.requireNonNull(at, "at");
        }

        public String describe() {
            return driver + " cannot drive the rollout: " + why + " (it tries again until the cause is fixed)";
        }

        public DriverBlocked at(Instant when) {
            return new DriverBlocked(when, driver, why);
        }
    }

    /**
     * A rollout whose last word was a {@link DriverBlocked} is driven again: recorded by the session that got through
     * its first decision, so the history, {@code status} and a waiting request stop saying that nothing can drive it
     * (a step whose verdicts pass records nothing else for minutes), and the team that heard of the block hears of
     * its end.
     *
     * @param blockedSince when the block was recorded
     */
    record DriverUnblocked(Instant at, String driver, Instant blockedSince) implements RolloutEvent {
        public DriverUnblocked {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(blockedSince, "blockedSince");
        }

        public String describe() {
            return driver + " drives the rollout again (it could not be driven since "
                    + blockedSince.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ")";
        }

        public DriverUnblocked at(Instant when) {
            return new DriverUnblocked(when, driver, blockedSince);
        }
    }

    /**
     * Green is coming up but not ready yet: recorded when its progress changes, and every
     * {@link Decider#PROGRESS_EVERY} while it does not, so a long start is never silent.
     *
     * @param why what a replica that is not ready said last (e.g. "GET /healthz on port 41000 answered 503"), or null
     */
    record GreenProgress(Instant at, int ready, int desired, String why, long waitedSeconds, long deadlineSeconds)
            implements RolloutEvent {
        public GreenProgress {
            Objects.requireNonNull(at, "at");
        }

        public String describe() {
            return "green " + ready + "/" + desired + " ready after " + waitedSeconds + "s (progress deadline "
                    + deadlineSeconds + "s)" + (why == null ? "" : ": " + why);
        }

        public GreenProgress at(Instant when) {
            return new GreenProgress(when, ready, desired, why, waitedSeconds, deadlineSeconds);
        }
    }
}
