package dev.botshift.rollout;

import dev.botshift.analysis.Observation;
import dev.botshift.workload.Readiness;
import java.time.Instant;

/**
 * What the runner observed through the ports just before a decision.
 *
 * @param now                the injected clock's time
 * @param candidateReadiness green's readiness
 * @param stableRunning      blue instances still alive (0 on a first release)
 * @param blue               blue's cumulative metrics
 * @param green              green's cumulative metrics
 */
public record Snapshot(Instant now, Readiness candidateReadiness, int stableRunning, Observation blue, Observation green) {
}
