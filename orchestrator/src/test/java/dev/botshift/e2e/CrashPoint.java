package dev.botshift.e2e;

import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutState;
import java.util.function.Predicate;

/**
 * Where CrashResumeIT kills the supervisor (and the command following it): a phase code and what else must be true at
 * that moment.
 *
 * @param name    shown in the test report
 * @param phase   the phase the state file must show when the kill happens
 * @param when    the moment within the phase
 */
record CrashPoint(String name, String phase, Predicate<Probe> when) {

    /** What a crash point can look at while the rollout runs. */
    interface Probe {
        RolloutState state();

        /** A slow {@code pg_sleep} changeset is executing right now. */
        boolean slowChangesetRunning();

        /** Processes recorded for the candidate colour. */
        int candidateInstances();
    }

    static final CrashPoint DURING_EXPAND = new CrashPoint("during expand", "EXPANDING", Probe::slowChangesetRunning);
    static final CrashPoint AFTER_EXPAND = new CrashPoint("after expand", "DEPLOYING_GREEN", p -> true);
    static final CrashPoint GREEN_STARTING = new CrashPoint("green starting", "DEPLOYING_GREEN",
            p -> p.candidateInstances() > 0);
    static final CrashPoint BAKING = new CrashPoint("baking", "BAKING", p -> true);
    static final CrashPoint DRAINING_BLUE = new CrashPoint("draining blue", "DRAINING_BLUE", p -> true);
    static final CrashPoint DURING_CONTRACT = new CrashPoint("during contract", "CONTRACTING",
            Probe::slowChangesetRunning);
    static final CrashPoint TEARING_DOWN = new CrashPoint("tearing down", "TEARING_DOWN", p -> true);

    /** In shift step {@code step} of {@link CrashChain#ALL_STEPS}, once the router has its weight. */
    static CrashPoint shift(int step) {
        int[] weights = {10, 25, 50, 100};
        return new CrashPoint("shift step " + step + " (" + weights[step] + " %)", "SHIFTING",
                p -> p.state().phase() instanceof Phase.Shifting s && s.step() == step
                        && p.state().split().green() == weights[step]);
    }

    boolean reached(Probe probe) {
        return probe.state().phase().code().equals(phase) && when.test(probe);
    }

    @Override
    public String toString() {
        return name;
    }
}
