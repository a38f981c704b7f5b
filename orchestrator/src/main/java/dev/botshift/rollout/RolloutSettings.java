package dev.botshift.rollout;

import dev.botshift.analysis.JudgeSettings;
import dev.botshift.plan.Approval;
import java.time.Duration;
import java.util.List;

/**
 * The plan's numbers the decider needs, nothing else.
 *
 * @param steps        green's weight per step, increasing, ending at 100
 * @param replicas     instances per colour
 */
public record RolloutSettings(
        List<Integer> steps,
        Duration stepDuration,
        Duration bake,
        Approval approval,
        Duration progressDeadline,
        Duration interval,
        int replicas,
        JudgeSettings judge,
        int failureLimit,
        int cumulativeFailureLimit,
        int inconclusiveLimit) {

    public RolloutSettings {
        steps = List.copyOf(steps);
    }

    /** A first release has nothing to compare with: all traffic goes to it once it is ready. */
    List<Integer> stepsFor(RolloutState s) {
        return s.firstRelease() ? List.of(100) : steps;
    }
}
