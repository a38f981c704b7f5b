package dev.botshift.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.analysis.MetricsProvider;
import dev.botshift.analysis.combined.CombinedMetricsProvider;
import dev.botshift.analysis.prometheus.PrometheusMetricsProvider;
import dev.botshift.analysis.router.RouterMetricsProvider;
import dev.botshift.analysis.scrape.BotMetricsProvider;
import dev.botshift.plan.AnalysisSpec;
import dev.botshift.plan.Approval;
import dev.botshift.plan.Plan;
import dev.botshift.testing.TestPlans;
import dev.botshift.traffic.router.BotshiftRouterClient;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each name a plan may give {@code analysis.provider} on the local platform becomes its adapter, nothing else. */
class ProviderChoiceTest {
    static final Map<String, Class<? extends MetricsProvider>> EXPECTED = Map.of(
            AnalysisSpec.ROUTER, RouterMetricsProvider.class,
            AnalysisSpec.BOT_METRICS, BotMetricsProvider.class,
            AnalysisSpec.COMBINED, CombinedMetricsProvider.class,
            AnalysisSpec.PROMETHEUS, PrometheusMetricsProvider.class);

    @TempDir
    Path stateDir;

    @ParameterizedTest
    @ValueSource(strings = {"router", "bot-metrics", "combined", "prometheus"})
    void theProviderNamedInThePlanIsTheOneUsed(String name) {
        assertThat(AnalysisSpec.PROVIDERS).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
        Plan p = TestPlans.plan("bot", "1.0.0", Approval.NONE, name);
        Plan plan = new Plan(p.name(), p.release(), p.database(), p.workload(), p.traffic(),
                new AnalysisSpec(name, p.analysis().interval(), 0.05, 0.02, 20, 2, 5, 5, Duration.ofMinutes(10),
                        new AnalysisSpec.PrometheusSpec("http://127.0.0.1:9", null, null, Duration.ofSeconds(1), false)),
                p.bake(), p.approval(), p.notifications(), p.source());
        MetricsProvider provider = LocalPlatform.metrics(plan, new BotshiftRouterClient(URI.create("http://127.0.0.1:9")),
                LocalPlatform.workloads(plan, stateDir, java.util.Map.of(), new PrintStream(OutputStream.nullOutputStream())));
        assertThat(provider).isExactlyInstanceOf(EXPECTED.get(name));
    }
}
