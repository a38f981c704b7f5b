package dev.botshift.testing;

import dev.botshift.plan.AnalysisSpec;
import dev.botshift.plan.Approval;
import dev.botshift.plan.DatabaseSpec;
import dev.botshift.plan.Plan;
import dev.botshift.plan.TrafficSpec;
import dev.botshift.plan.WorkloadSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Plans for tests that drive the real {@code RolloutSession} on fake or partly fake ports: steps 10/25/50/100 of 10 s,
 * a 10 s bake, a 1 s analysis interval, 2 replicas, a 30 s progress deadline; maxErrorRate 5 %, 2 % over baseline,
 * 20 requests minimum, failureLimit 2, cumulativeFailureLimit 5, inconclusiveLimit 5.
 */
public final class TestPlans {
    private TestPlans() {
    }

    public static Plan plan(String app, String release, Approval approval) {
        return plan(app, release, approval, AnalysisSpec.COMBINED);
    }

    /** @param provider the analysis provider's name (the session's platform decides what runs; the name is data) */
    public static Plan plan(String app, String release, Approval approval, String provider) {
        DatabaseSpec database = new DatabaseSpec("jdbc:postgresql://db.invalid/bot", "bot", null, "changelog.yaml",
                Duration.ofMillis(500), Duration.ofMinutes(5));
        WorkloadSpec workload = new WorkloadSpec(WorkloadSpec.LOCAL, 2, List.of("bot"), Map.of(), "/healthz",
                Duration.ofSeconds(30), Duration.ofSeconds(15), null);
        TrafficSpec traffic = new TrafficSpec(TrafficSpec.BOTSHIFT, "$.message.chat.id", List.of(10, 25, 50, 100),
                Duration.ofSeconds(10), 0, null);
        AnalysisSpec analysis = new AnalysisSpec(provider, Duration.ofSeconds(1), 0.05, 0.02, 20, 2, 5, 5,
                Duration.ofMinutes(10), null);
        return new Plan(app, release, database, workload, traffic, analysis, Duration.ofSeconds(10), approval, null,
                Path.of("/plans/" + app + ".yaml"));
    }
}
