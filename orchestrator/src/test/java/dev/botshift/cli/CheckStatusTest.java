package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botshift.analysis.CheckResult;
import dev.botshift.analysis.Checks;
import dev.botshift.analysis.Counts;
import dev.botshift.analysis.Verdict;
import dev.botshift.core.Slot;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code botshift status} shows each check of the last verdict: name, value, limit, verdict, and a dry run as such. */
class CheckStatusTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<CheckResult> CHECKS = List.of(
            new CheckResult("handler-failures", Verdict.Kind.PASS, 0.012, "1.2%", "max 5.0%", 400L, false,
                    "green 1.2% (5 bot_handler_errors_total of 400 bot_requests_total), limit max 5.0%"),
            new CheckResult("memory", Verdict.Kind.FAIL, 5.1e8, "5.100e+08", "max 4.000e+08", null, true,
                    "green 5.100e+08, limit max 4.000e+08; above the limit"),
            new CheckResult(Checks.RESTARTS, Verdict.Kind.PASS, 0.0, "0", "max 0", null, false,
                    "no restart in green's 2 containers since it was first judged"));

    private static RolloutState judged() {
        return RolloutState.begin("bot", "2.0.0", "run", 1, "/plan.yaml", Slot.A, "1.0.0", null, T0)
                .withPhase(new Phase.Shifting(0), T0, "test")
                .withVerdict(new RolloutEvent.AnalysisResult(T0, Verdict.Kind.PASS, "green 1.0% of 400; checks pass:"
                        + " handler-failures, bot restarts", new Counts(4000, 40), new Counts(400, 4), CHECKS), true);
    }

    @Test
    void theTableHasALinePerCheckWithValueLimitVerdictAndDryRun() {
        String table = StatusView.table(judged(), T0);

        assertThat(table).contains("Checks:\n");
        assertThat(table.lines().filter(l -> l.startsWith("  handler-failures")).findFirst()).hasValueSatisfying(l ->
                assertThat(l).contains("1.2%", "max 5.0%", "PASS").doesNotContain("dry run"));
        assertThat(table.lines().filter(l -> l.startsWith("  memory")).findFirst()).hasValueSatisfying(l ->
                assertThat(l).contains("5.100e+08", "max 4.000e+08", "FAIL", "(dry run: recorded, not acted on)"));
        assertThat(table.lines().filter(l -> l.startsWith("  bot restarts")).findFirst()).hasValueSatisfying(l ->
                assertThat(l).contains("0", "max 0", "PASS"));
    }

    @Test
    void theJsonHasTheChecksOfTheLastVerdict() throws Exception {
        JsonNode json = RolloutStateCodec.mapper().readTree(StatusView.json(judged()));

        assertThat(json.path("checks")).hasSize(3);
        JsonNode memory = json.path("checks").get(1);
        assertThat(memory.path("name").asText()).isEqualTo("memory");
        assertThat(memory.path("value").asDouble()).isEqualTo(5.1e8);
        assertThat(memory.path("limit").asText()).isEqualTo("max 4.000e+08");
        assertThat(memory.path("verdict").asText()).isEqualTo("FAIL");
        assertThat(memory.path("dryRun").asBoolean()).isTrue();
        assertThat(json.path("checks").get(0).path("sample").asLong()).isEqualTo(400);
    }

    @Test
    void planListsTheChecksWithTheirSourceLimitsAndDryRun() {
        var spec = new dev.botshift.plan.MetricCheckSpec("handler-failures", null,
                new dev.botshift.plan.MetricCheckSpec.CounterSpec("bot_handler_errors_total", "bot_requests_total"),
                0.05, null, 0.01, true);

        assertThat(PlanText.check(spec)).isEqualTo("handler-failures (bot_handler_errors_total / bot_requests_total,"
                + " max 0.05, at most blue + 0.01, dry run: recorded, not acted on)");
    }

    @Test
    void withoutChecksTheTableSaysNothingAboutThem() {
        RolloutState plain = RolloutState.begin("bot", "2.0.0", "run", 1, "/plan.yaml", Slot.A, "1.0.0", null, T0)
                .withVerdict(new RolloutEvent.AnalysisResult(T0, Verdict.Kind.PASS, "fine", null, null), true);

        assertThat(StatusView.table(plain, T0)).doesNotContain("Checks:");
        assertThat(StatusView.json(plain)).contains("\"checks\" : [ ]");
    }
}
