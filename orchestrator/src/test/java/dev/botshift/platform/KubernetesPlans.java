package dev.botshift.platform;

import dev.botshift.plan.AnalysisSpec;
import dev.botshift.plan.AnalysisSpec.PrometheusSpec;
import dev.botshift.plan.Approval;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanLoader;
import dev.botshift.plan.TrafficSpec;
import dev.botshift.plan.WorkloadSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Plans for the cluster tests, derived from the shipped {@code manifests/plan-kubernetes.yaml} (loaded through the
 * real plan loader) with durations short enough for a test and the Prometheus URL of the scripted server.
 */
public final class KubernetesPlans {
    public static final Path REPO = Path.of(System.getProperty("botshift.repo", ".."));

    private final Plan base;
    private final String prometheusUrl;

    public KubernetesPlans(Path dir, String prometheusUrl) throws IOException {
        Path plan = dir.resolve("plan.yaml");
        Files.copy(REPO.resolve("manifests/plan-kubernetes.yaml"), plan);
        // the Job mounts the changelogs next to the plan; only their existence is checked before the schema step
        Files.createDirectories(dir.resolve("db"));
        Files.writeString(dir.resolve("db/changelog-v2.yaml"), "databaseChangeLog: []\n");
        this.base = PlanLoader.load(plan, Map.of("DB_URL", "jdbc:postgresql://db.invalid/bot", "DB_USER", "bot",
                "DB_PASSWORD", "not-used-here"));
        this.prometheusUrl = prometheusUrl;
    }

    public Plan base() {
        return base;
    }

    /** {@code release} through {@code router} with {@code steps}: 1 s analysis interval, 3 s steps and bake. */
    Plan plan(String release, String router, List<Integer> steps) {
        WorkloadSpec w = base.workload();
        WorkloadSpec workload = new WorkloadSpec(w.platform(), w.replicas(), w.command(), w.env(), w.healthPath(),
                Duration.ofSeconds(20), Duration.ofSeconds(5), w.kubernetes());
        TrafficSpec t = base.traffic();
        TrafficSpec traffic = new TrafficSpec(router, t.stickyBy(), steps, Duration.ofSeconds(3), 0, t.resource());
        AnalysisSpec a = base.analysis();
        PrometheusSpec p = a.prometheus();
        AnalysisSpec analysis = new AnalysisSpec(a.provider(), Duration.ofSeconds(1), a.maxErrorRate(),
                a.maxIncreaseOverBaseline(), a.minRequests(), a.failureLimit(), a.cumulativeFailureLimit(),
                a.inconclusiveLimit(), a.maxStepDuration(),
                new PrometheusSpec(prometheusUrl, p.requestsQuery(), p.errorsQuery(), Duration.ofSeconds(2), false));
        return new Plan(base.name(), release, base.database(), workload, traffic, analysis, Duration.ofSeconds(3),
                Approval.NONE, null, base.source());
    }
}
