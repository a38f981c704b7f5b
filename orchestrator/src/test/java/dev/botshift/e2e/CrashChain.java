package dev.botshift.e2e;

import java.util.List;

/**
 * Crash points CrashResumeIT visits in one release, in the order the rollout reaches them: the supervisor is killed at
 * the first, {@code resume} starts a new one, that one is killed at the next, and so on; the last resume ends the
 * release. One release per chain, not per point: each release costs a deploy, a green start, the steps and both
 * schema phases (about 20 s on 2 cores), a resume only a supervisor's start.
 *
 * @param name   shown in the test report
 * @param steps  the plan's steps: the shift-step points need all four; otherwise a split step ([25, 100]) so that a
 *               run resumed before the shift still moves traffic through one
 * @param slow   whether the release's new changesets are slow ({@code pg_sleep}): only for a chain with a point that
 *               kills while one runs; elsewhere they are instant, which saves their seconds at every resume
 * @param points in the order the rollout reaches them; two points of one phase are kept in different chains unless the
 *               later one is certain to follow a resume (green's instances are recorded after the expand re-runs)
 */
record CrashChain(String name, String steps, boolean slow, List<CrashPoint> points) {
    static final String ALL_STEPS = "[10, 25, 50, 100]";
    private static final String SPLIT_STEP = "[25, 100]";

    static List<CrashChain> all() {
        return List.of(
                // the first step (blue still serves most) and the last (green has all): the steps between take the
                // same path as the first
                new CrashChain("slow changesets", ALL_STEPS, true, List.of(CrashPoint.DURING_EXPAND,
                        CrashPoint.GREEN_STARTING, CrashPoint.shift(0), CrashPoint.shift(3), CrashPoint.BAKING,
                        CrashPoint.DURING_CONTRACT)),
                new CrashChain("between phases", SPLIT_STEP, false, List.of(CrashPoint.AFTER_EXPAND,
                        CrashPoint.DRAINING_BLUE, CrashPoint.TEARING_DOWN)));
    }

    @Override
    public String toString() {
        return name + " " + points;
    }
}
