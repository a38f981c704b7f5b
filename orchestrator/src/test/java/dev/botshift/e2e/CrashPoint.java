package dev.botshift.e2e;

import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutState;
import java.util.List;
import java.util.function.Predicate;

/**
 * Where CrashResumeIT kills {@code botshift deploy}: a phase code and what else must be true at that moment.
 *
 * @param name    shown in the test report
 * @param phase   the phase the state file must show when the kill happens
 * @param steps   the plan's steps for this case: shift-step cases need all four; a case killed before the shift
 *                resumes through a split step ([25, 100]); one killed after it needs only [100]
 * @param slow    whether the release's new changesets must be slow ({@code pg_sleep}): only where the kill lands
 *                while one runs; elsewhere they are instant, which saves their seconds twice per release
 * @param when    the moment within the phase
 */
record CrashPoint(String name, String phase, String steps, boolean slow, Predicate<Probe> when) {

    /** What a crash point can look at while the deploy runs. */
    interface Probe {
        RolloutState state();

        /** A slow {@code pg_sleep} changeset is executing right now. */
        boolean slowChangesetRunning();

        /** Processes recorded for the candidate colour. */
        int candidateInstances();
    }

    static final String ALL_STEPS = "[10, 25, 50, 100]";
    private static final String SPLIT_STEP = "[25, 100]";
    private static final String ONE_STEP = "[100]";

    static List<CrashPoint> all() {
        return List.of(
                new CrashPoint("during expand", "EXPANDING", SPLIT_STEP, true, Probe::slowChangesetRunning),
                new CrashPoint("after expand", "DEPLOYING_GREEN", SPLIT_STEP, false, p -> true),
                new CrashPoint("green starting", "DEPLOYING_GREEN", SPLIT_STEP, false, p -> p.candidateInstances() > 0),
                // the first step (blue still serves most) and the last (green has all): the steps between take
                // the same path as the first, and each case is a whole release (about 40 s)
                shift(0), shift(3),
                new CrashPoint("baking", "BAKING", ONE_STEP, false, p -> true),
                new CrashPoint("draining blue", "DRAINING_BLUE", ONE_STEP, false, p -> true),
                new CrashPoint("during contract", "CONTRACTING", ONE_STEP, true, Probe::slowChangesetRunning),
                new CrashPoint("tearing down", "TEARING_DOWN", ONE_STEP, false, p -> true));
    }

    private static CrashPoint shift(int step) {
        int[] weights = {10, 25, 50, 100};
        return new CrashPoint("shift step " + step + " (" + weights[step] + " %)", "SHIFTING", ALL_STEPS, false,
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
