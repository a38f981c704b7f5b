package dev.botshift.plan;

import dev.botshift.core.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PlanLoaderTest {
    static final Path REPO = Path.of(System.getProperty("botshift.repo", ".."));
    static final Map<String, String> ENV = Map.of(
            "DB_URL", "jdbc:postgresql://localhost:5432/bot?password=url-secret",
            "DB_USER", "bot", "DB_PASSWORD", "pw-secret", "BOT_TOKEN", "token-secret");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"1.0.0", "2.0.0"})
    void samplePlansLoad(String release) {
        String file = "plan-v" + release.charAt(0) + ".yaml";
        Plan plan = PlanLoader.load(REPO.resolve("examples/sentiment-bot").resolve(file), ENV);

        assertThat(plan.name()).isEqualTo("sentiment-bot");
        assertThat(plan.release()).isEqualTo(release);
        assertThat(plan.database().url()).isEqualTo(ENV.get("DB_URL"));
        assertThat(plan.database().username()).isEqualTo("bot");
        assertThat(plan.database().password()).isEqualTo("pw-secret");
        assertThat(plan.resolve(plan.database().changelog())).isRegularFile()
                .hasFileName("changelog-v" + release.charAt(0) + ".yaml");
        assertThat(plan.database().lockTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(plan.database().ddlDeadline()).isEqualTo(Duration.ofMinutes(5));
        assertThat(plan.workload().platform()).isEqualTo("local");
        assertThat(plan.workload().replicas()).isEqualTo(2);
        assertThat(plan.workload().command()).containsExactly("java", "-Xmx96m", "-XX:TieredStopAtLevel=1", "-jar",
                "target/sentiment-bot.jar");
        assertThat(plan.workload().progressDeadline()).isEqualTo(Duration.ofSeconds(60));
        assertThat(plan.workload().drainTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(plan.traffic().router()).isEqualTo("botshift");
        assertThat(plan.traffic().stickyBy()).isEqualTo("telegram");
        assertThat(plan.traffic().steps()).containsExactly(10, 25, 50, 100);
        assertThat(plan.traffic().stepDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(plan.traffic().listenPort()).isEqualTo(8080);
        assertThat(plan.analysis().provider()).isEqualTo("combined");
        assertThat(plan.analysis().interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(plan.analysis().maxErrorRate()).isEqualTo(0.05);
        assertThat(plan.analysis().maxIncreaseOverBaseline()).isEqualTo(0.02);
        assertThat(plan.analysis().minRequests()).isEqualTo(20);
        assertThat(plan.analysis().failureLimit()).isEqualTo(2);
        assertThat(plan.analysis().cumulativeFailureLimit()).isEqualTo(5);
        assertThat(plan.bake()).isEqualTo(Duration.ofSeconds(10));
        assertThat(plan.approval()).isEqualTo(Approval.NONE);
        assertThat(plan.source()).hasFileName(file);
    }

    @Test
    void leftOutFieldsGetTheDocumentedDefaults() throws IOException {
        Plan plan = PlanLoader.load(write("""
                name: bot
                release: "1.10"
                database: {url: "jdbc:postgresql://db/bot", changelog: changelog.yaml}
                workload: {platform: local, command: [./bot]}
                """), ENV);

        assertThat(plan.release()).isEqualTo("1.10");
        assertThat(plan.database().lockTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(plan.database().ddlDeadline()).isEqualTo(Duration.ofMinutes(5));
        WorkloadSpec w = plan.workload();
        assertThat(List.of(w.replicas(), w.healthPath(), w.progressDeadline(), w.drainTimeout()))
                .containsExactly(2, "/healthz", Duration.ofSeconds(120), Duration.ofSeconds(15));
        assertThat(w.env()).isEmpty();
        assertThat(w.kubernetes()).isNull();
        TrafficSpec t = plan.traffic();
        assertThat(List.of(t.router(), t.stickyBy(), t.steps(), t.stepDuration(), t.listenPort()))
                .containsExactly("botshift", "telegram", List.of(5, 25, 50, 100), Duration.ofSeconds(60), 8080);
        assertThat(t.resource()).isNull();
        AnalysisSpec a = plan.analysis();
        assertThat(List.of(a.provider(), a.interval(), a.maxErrorRate(), a.maxIncreaseOverBaseline(), a.minRequests(),
                a.failureLimit(), a.cumulativeFailureLimit(), a.inconclusiveLimit()))
                .containsExactly("combined", Duration.ofSeconds(10), 0.05, 0.02, 50, 2, 5, 6);
        assertThat(a.prometheus()).isNull();
        assertThat(a.latency()).as("latency is judged only when asked").isNull();
        assertThat(plan.bake()).isEqualTo(Duration.ofMinutes(5));
        assertThat(plan.approval()).isEqualTo(Approval.NONE);
        assertThat(plan.notifications()).isNull();
    }

    @Test
    void latencyLimitsLeftOutStayOff() throws IOException {
        String plan = """
                name: bot
                release: 2.0.0
                database: {url: "jdbc:postgresql://db/bot", changelog: changelog.yaml}
                workload: {platform: local, command: [./bot]}
                analysis:
                  latency: %s
                """;
        AnalysisSpec absolute = PlanLoader.load(write(plan.formatted("{p99Max: 800ms}")), ENV).analysis();
        assertThat(absolute.latency()).isEqualTo(new AnalysisSpec.LatencySpec(Duration.ofMillis(800), null));
        assertThat(dev.botshift.rollout.RolloutSettings.from(PlanLoader.load(write(plan.formatted("{p99Max: 800ms}")),
                ENV)).judge().latency()).as("no relative limit, not a 0 % one")
                .isEqualTo(new dev.botshift.analysis.LatencyLimits(0.8, -1));
        AnalysisSpec relative = PlanLoader.load(write(plan.formatted("{maxIncreaseOverBaseline: 20%}")), ENV).analysis();
        assertThat(relative.latency()).isEqualTo(new AnalysisSpec.LatencySpec(null, 0.2));
    }

    @Test
    void kubernetesPlanWithPrometheus() throws IOException {
        Plan plan = PlanLoader.load(write("""
                name: bot
                release: 2.0.0
                database: {url: "jdbc:postgresql://db/bot", changelog: changelog.yaml}
                workload:
                  platform: kubernetes
                  replicas: 3
                  env: {TOKEN: "${env:BOT_TOKEN}", MODE: "canary-${env:DB_USER}"}
                  kubernetes: {namespace: bots, image: "registry.local/bot:2.0.0"}
                traffic: {router: gateway-api, steps: [1, 100]}
                analysis:
                  maxErrorRate: 0.01
                  maxIncreaseOverBaseline: 0.5%
                  prometheus:
                    url: http://prometheus.monitoring:9090
                    requestsQuery: sum(increase(http_requests_total{slot="{{slot}}"}[{{window}}]))
                    errorsQuery: sum(increase(http_requests_total{slot="{{slot}}",code=~"5.."}[{{window}}]))
                approval: before-contract
                notify: {webhookUrlEnv: SLACK_WEBHOOK}
                """), ENV);

        assertThat(plan.workload().kubernetes()).isEqualTo(
                new WorkloadSpec.KubernetesSpec("bots", "registry.local/bot:2.0.0", null, 8080));
        assertThat(plan.workload().env()).containsEntry("TOKEN", "token-secret").containsEntry("MODE", "canary-bot");
        assertThat(plan.traffic().resource()).as("named after the app").isEqualTo("bot");
        assertThat(plan.analysis().provider()).as("a prometheus block picks the provider").isEqualTo("prometheus");
        assertThat(plan.analysis().maxErrorRate()).isEqualTo(0.01);
        assertThat(plan.analysis().maxIncreaseOverBaseline()).isEqualTo(0.005);
        assertThat(plan.analysis().prometheus().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(plan.analysis().prometheus().insecureSkipTlsVerify()).isFalse();
        assertThat(plan.approval()).isEqualTo(Approval.BEFORE_CONTRACT);
        assertThat(plan.notifications().webhookUrlEnv()).isEqualTo("SLACK_WEBHOOK");
    }

    @Test
    void secretsAreResolvedButNeverPrinted() {
        Plan plan = PlanLoader.load(REPO.resolve("examples/sentiment-bot/plan-v2.yaml"), ENV);
        Plan withEnv = new Plan(plan.name(), plan.release(), plan.database(),
                new WorkloadSpec("local", 1, List.of("./bot"), Map.of("TOKEN", "token-secret"), "/healthz",
                        Duration.ofSeconds(1), Duration.ofSeconds(1), null),
                plan.traffic(), plan.analysis(), plan.bake(), plan.approval(), null, plan.source());

        assertThat(plan.database().password()).isEqualTo("pw-secret");
        assertThat(withEnv.toString()).contains("TOKEN").contains("password=***")
                .doesNotContain("pw-secret", "url-secret", "token-secret");
    }

    @Test
    void everyProblemIsReportedTogetherInFileOrder() throws IOException {
        Path file = write("""
                name: Bot
                release: 2.0.0
                database: {url: "jdbc:postgresql://db/bot", changelog: changelog.yaml, pasword: x}
                workload: {platform: local, replicas: 0}
                traffic: {steps: [50, 25]}
                """);

        PlanException e = catchThrowableOfType(PlanException.class, () -> PlanLoader.load(file, ENV));

        assertThat(e.problems()).extracting(PlanProblem::field).containsExactly("name", "database.pasword",
                "workload.command", "workload.replicas", "traffic.steps[1]");
        assertThat(e.getMessage().lines()).hasSize(5).allMatch(l -> l.startsWith(file + ":"));
        assertThat(e.getMessage()).contains("did you mean 'password'?");
    }

    @Test
    void aMissingFileIsInvalidInput() {
        Path file = dir.resolve("absent.yaml");
        PlanException e = catchThrowableOfType(PlanException.class, () -> PlanLoader.load(file, ENV));
        assertThat(e.getMessage()).isEqualTo(file + ": no such file");
        assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    }

    @Test
    void malformedYamlNeverQuotesTheLine() throws IOException {
        Path file = write("name: bot\ndatabase:\n  password: \"pw-secret\n");
        PlanException e = catchThrowableOfType(PlanException.class, () -> PlanLoader.load(file, ENV));
        assertThat(e.getMessage()).startsWith(file + ":").contains("malformed YAML").doesNotContain("pw-secret");
    }

    private Path write(String text) throws IOException {
        Files.writeString(dir.resolve("changelog.yaml"), "databaseChangeLog: []\n");
        return Files.writeString(dir.resolve("plan.yaml"), text);
    }
}
