package dev.botshift.rollout;

import dev.botshift.analysis.ChecksSeen;
import dev.botshift.analysis.Counts;
import dev.botshift.analysis.Observation;
import dev.botshift.traffic.WeightCheck;
import dev.botshift.workload.Readiness;
import java.time.Instant;
import java.util.List;

/**
 * What the runner observed through the ports just before a decision; null where the phase does not need it.
 *
 * @param now                the injected clock's time
 * @param candidateReadiness green's readiness (while green starts)
 * @param stableRunning      blue instances still alive (while blue is drained; 0 on a first release)
 * @param blue               blue's cumulative metrics (while green is judged)
 * @param green              green's cumulative metrics (while green is judged)
 * @param split              whether the router's split in force is the stored one (while traffic is split)
 * @param checks             the custom checks' readings and green's restarts (while green is judged)
 * @param greenLooks         green's cumulative counts at the looks into the interval now ending, in order; null where
 *                           the interval was not looked into (the metrics are not live, or the runner started anew)
 * @param blueLooks          blue's cumulative counts at those looks where blue was read in full, in order; null with
 *                           {@code greenLooks}
 */
public record Snapshot(Instant now, Readiness candidateReadiness, int stableRunning, Observation blue,
                       Observation green, WeightCheck split, ChecksSeen checks, List<Counts> greenLooks,
                       List<Counts> blueLooks) {

    /** Of an interval not looked into. */
    public Snapshot(Instant now, Readiness candidateReadiness, int stableRunning, Observation blue, Observation green,
                    WeightCheck split, ChecksSeen checks) {
        this(now, candidateReadiness, stableRunning, blue, green, split, checks, null, null);
    }

    /** Without custom checks or resource signals read. */
    public Snapshot(Instant now, Readiness candidateReadiness, int stableRunning, Observation blue, Observation green,
                    WeightCheck split) {
        this(now, candidateReadiness, stableRunning, blue, green, split, null);
    }
}
