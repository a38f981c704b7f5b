package dev.botshift.rollout;

import dev.botshift.core.ExitCode;

/** How a {@link RolloutRunner#run} ended, and the exit code a pipeline branches on. */
public sealed interface Outcome {
    int exitCode();

    RolloutState state();

    record Succeeded(RolloutState state) implements Outcome {
        public int exitCode() {
            return ExitCode.OK;
        }
    }

    /** Rolled back, or (exit 2, as a refused changeset) refused by the expand rehearsal before anything ran. */
    record RolledBack(RolloutState state, String reason) implements Outcome {
        public int exitCode() {
            return state.refusedByExpandRehearsal() ? ExitCode.INVALID_INPUT : ExitCode.ROLLED_BACK;
        }
    }

    /** Returned (with {@code --detach}) at an approval gate or a pause: a human acts next. */
    record Waiting(RolloutState state, String what) implements Outcome {
        public int exitCode() {
            return ExitCode.WAITING_AT_GATE;
        }
    }

    record Failed(RolloutState state, String reason, int exitCode) implements Outcome {
    }
}
