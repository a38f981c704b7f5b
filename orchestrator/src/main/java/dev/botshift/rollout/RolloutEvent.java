package dev.botshift.rollout;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.botshift.analysis.Counts;
import dev.botshift.core.Weights;
import java.time.Instant;
import java.util.List;

/** The audit trail: kept in the state's history, shown by the display, sent to notifications and Kubernetes Events. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = RolloutEvent.Started.class, name = "Started"),
        @JsonSubTypes.Type(value = RolloutEvent.PhaseChanged.class, name = "PhaseChanged"),
        @JsonSubTypes.Type(value = RolloutEvent.SchemaApplied.class, name = "SchemaApplied"),
        @JsonSubTypes.Type(value = RolloutEvent.TrafficShifted.class, name = "TrafficShifted"),
        @JsonSubTypes.Type(value = RolloutEvent.AnalysisResult.class, name = "AnalysisResult"),
        @JsonSubTypes.Type(value = RolloutEvent.CommandAccepted.class, name = "CommandAccepted"),
        @JsonSubTypes.Type(value = RolloutEvent.CommandRefused.class, name = "CommandRefused"),
        @JsonSubTypes.Type(value = RolloutEvent.GateReached.class, name = "GateReached"),
        @JsonSubTypes.Type(value = RolloutEvent.RolledBack.class, name = "RolledBack"),
        @JsonSubTypes.Type(value = RolloutEvent.EffectFailed.class, name = "EffectFailed")
})
public sealed interface RolloutEvent {
    Instant at();

    /** One line for logs and notifications. */
    String describe();

    record Started(Instant at, String release, int attempt, String candidate, String stableVersion) implements RolloutEvent {
        public String describe() {
            return "rollout of " + release + " started (attempt " + attempt + ", new colour " + candidate
                    + (stableVersion == null ? ", first release" : ", replacing " + stableVersion) + ")";
        }
    }

    record PhaseChanged(Instant at, String from, String to, String reason) implements RolloutEvent {
        public String describe() {
            return from + " → " + to + (reason == null || reason.isEmpty() ? "" : ": " + reason);
        }
    }

    record SchemaApplied(Instant at, String phase, List<String> changeSets, int lockRetries) implements RolloutEvent {
        public String describe() {
            return phase + " applied " + changeSets.size() + " changeset(s)" + (changeSets.isEmpty() ? "" : " " + changeSets)
                    + (lockRetries > 0 ? ", " + lockRetries + " lock-timeout retries" : "");
        }
    }

    record TrafficShifted(Instant at, Weights weights) implements RolloutEvent {
        public String describe() {
            return "traffic " + weights;
        }
    }

    record AnalysisResult(Instant at, String verdict, String reason, Counts blue, Counts green) implements RolloutEvent {
        public String describe() {
            return "analysis " + verdict + ": " + reason;
        }
    }

    record CommandAccepted(Instant at, String command, String by) implements RolloutEvent {
        public String describe() {
            return command + " by " + by;
        }
    }

    record CommandRefused(Instant at, String command, String by, String why) implements RolloutEvent {
        public String describe() {
            return command + " by " + by + " refused: " + why;
        }
    }

    record GateReached(Instant at, String gate) implements RolloutEvent {
        public String describe() {
            return "waiting for approval (" + gate + "): run botshift promote";
        }
    }

    record RolledBack(Instant at, String reason) implements RolloutEvent {
        public String describe() {
            return "rolled back: " + reason;
        }
    }

    record EffectFailed(Instant at, String effect, String error) implements RolloutEvent {
        public String describe() {
            return effect + " failed: " + error;
        }
    }
}
