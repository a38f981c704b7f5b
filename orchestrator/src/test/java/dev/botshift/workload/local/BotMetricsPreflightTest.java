package dev.botshift.workload.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import dev.botshift.plan.AnalysisSpec;
import dev.botshift.plan.Approval;
import dev.botshift.plan.Plan;
import dev.botshift.plan.WorkloadSpec;
import dev.botshift.platform.Platforms;
import dev.botshift.platform.StateOptions;
import dev.botshift.testing.Slow;
import dev.botshift.testing.TestPlans;
import dev.botshift.workload.Readiness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code botshift plan} and the deploy's preflight say about a running bot (a real process) whose
 * {@code /metrics} serves no bot counters: a warning naming the URL probed, for the providers that read them only.
 */
@Slow
class BotMetricsPreflightTest extends OneBotTest {
    @Test
    void aRunningBotWithoutCountersIsNamedWithTheUrlProbed() throws Exception {
        WorkloadSpec spec = TestBots.spec(1, Map.of());
        workloads(spec, Map.of());
        assertThat(Platforms.botMetricsWarnings(plan(spec, AnalysisSpec.COMBINED), StateOptions.local(stateDir)))
                .as("nothing runs yet: nothing to say").isEmpty();
        workloads.start(Slot.A, "1.0.0", 1);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!(workloads.readiness(Slot.A) instanceof Readiness.Ready) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        String metricsUrl = workloads.endpoints(Slot.A).get(0).resolve("/metrics").toString();

        List<String> combined = Platforms.botMetricsWarnings(plan(spec, AnalysisSpec.COMBINED), StateOptions.local(stateDir));
        List<String> router = Platforms.botMetricsWarnings(plan(spec, AnalysisSpec.ROUTER), StateOptions.local(stateDir));

        assertThat(combined).singleElement().asString().startsWith("warning: ").contains(metricsUrl,
                "bot_requests_total", "router's signals only");
        assertThat(router).as("the router provider reads no bot metrics").isEmpty();
    }

    private Plan plan(WorkloadSpec spec, String provider) {
        Plan p = TestPlans.plan("bot", "2.0.0", Approval.NONE, provider);
        return new Plan(p.name(), p.release(), p.database(), spec, p.traffic(), p.analysis(), p.bake(), p.approval(),
                p.notifications(), workDir.resolve("plan.yaml"));
    }
}
