package dev.botshift.rollout;

import dev.botshift.analysis.JudgeSettings;
import dev.botshift.analysis.MetricCheck;
import dev.botshift.plan.AnalysisSpec;
import dev.botshift.plan.Approval;
import dev.botshift.plan.Plan;
import java.time.Duration;
import java.util.List;

/**
 * The plan's numbers the decider needs, nothing else.
 *
 * @param steps        green's weight per step, increasing, ending at 100
 * @param replicas     instances per colour
 * @param maxStepDuration how long a step (or the bake) may wait for enough green requests to be judged before it
 *                     pauses for a human
 * @param postContract how long green is still judged after the contract (zero: not at all)
 * @param checks       the plan's custom checks ({@code analysis.metrics})
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
        int inconclusiveLimit,
        Duration maxStepDuration,
        Duration postContract,
        List<MetricCheck> checks) {

    public RolloutSettings {
        steps = List.copyOf(steps);
        postContract = postContract == null ? Duration.ZERO : postContract;
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    /** Without custom checks. */
    public RolloutSettings(List<Integer> steps, Duration stepDuration, Duration bake, Approval approval,
                           Duration progressDeadline, Duration interval, int replicas, JudgeSettings judge,
                           int failureLimit, int cumulativeFailureLimit, int inconclusiveLimit,
                           Duration maxStepDuration, Duration postContract) {
        this(steps, stepDuration, bake, approval, progressDeadline, interval, replicas, judge, failureLimit,
                cumulativeFailureLimit, inconclusiveLimit, maxStepDuration, postContract, List.of());
    }

    /** Without a post-contract watch. */
    public RolloutSettings(List<Integer> steps, Duration stepDuration, Duration bake, Approval approval,
                           Duration progressDeadline, Duration interval, int replicas, JudgeSettings judge,
                           int failureLimit, int cumulativeFailureLimit, int inconclusiveLimit,
                           Duration maxStepDuration) {
        this(steps, stepDuration, bake, approval, progressDeadline, interval, replicas, judge, failureLimit,
                cumulativeFailureLimit, inconclusiveLimit, maxStepDuration, Duration.ZERO, List.of());
    }

    /** The numbers of a plan. */
    public static RolloutSettings from(Plan plan) {
        AnalysisSpec a = plan.analysis();
        return new RolloutSettings(plan.traffic().steps(), plan.traffic().stepDuration(), plan.bake(), plan.approval(),
                plan.workload().progressDeadline(), a.interval(), plan.workload().replicas(),
                new JudgeSettings(a.maxErrorRate(), a.maxIncreaseOverBaseline(), a.minRequests(), latencyLimits(a)),
                a.failureLimit(), a.cumulativeFailureLimit(), a.inconclusiveLimit(), a.maxStepDuration(),
                a.postContract(), checks(a));
    }

    /** The plan's custom checks as the judge takes them. */
    static List<MetricCheck> checks(AnalysisSpec a) {
        return a.metrics().stream().map(c -> new MetricCheck(c.name(), c.query() != null
                ? new MetricCheck.Source.Query(c.query())
                : new MetricCheck.Source.Counters(c.counter().numerator(), c.counter().denominator()),
                c.max(), c.min(), c.maxIncreaseOverBaseline(), c.dryRun())).toList();
    }

    private static dev.botshift.analysis.LatencyLimits latencyLimits(AnalysisSpec a) {
        AnalysisSpec.LatencySpec l = a.latency();
        if (l == null) {
            return null;
        }
        return new dev.botshift.analysis.LatencyLimits(l.p99Max() == null ? 0 : l.p99Max().toNanos() / 1e9,
                l.maxIncreaseOverBaseline() == null ? -1 : l.maxIncreaseOverBaseline());
    }

    /** A first release has nothing to compare with: all traffic goes to it once it is ready. */
    List<Integer> stepsFor(RolloutState s) {
        return s.firstRelease() ? List.of(100) : steps;
    }
}
