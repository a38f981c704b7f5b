package dev.botshift.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.botshift.core.ExitCode;
import dev.botshift.plan.MetricCheckSpec.CounterSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code analysis.metrics}: the custom checks, read into records, and every mistake refused at its field. */
class MetricChecksFieldTest {
    private static final String LINE = "  minRequests: 20";
    private static final String PROMETHEUS = "  prometheus: {url: 'http://prometheus:9090', requestsQuery: 'sum(r)',"
            + " errorsQuery: 'sum(e)'}\n";

    @TempDir
    Path dir;

    private Plan load(String analysisTail) throws IOException {
        return EditedPlan.load(dir, LINE, LINE + "\n" + analysisTail, Map.of());
    }

    @Test
    void countersAndQueriesAreReadWithTheirLimitsAndDryRun() throws IOException {
        AnalysisSpec local = load("""
                  metrics:
                    - name: handler-failures
                      counter: {numerator: bot_handler_errors_total, denominator: bot_requests_total}
                      max: 5%
                      maxIncreaseOverBaseline: 1%
                    - name: sends
                      counter: {numerator: bot_sends_total, denominator: bot_requests_total}
                      min: 0.9
                      dryRun: true""".indent(2)).analysis();
        assertThat(local.metrics()).containsExactly(
                new MetricCheckSpec("handler-failures", null, new CounterSpec("bot_handler_errors_total",
                        "bot_requests_total"), 0.05, null, 0.01, false),
                new MetricCheckSpec("sends", null, new CounterSpec("bot_sends_total", "bot_requests_total"), null, 0.9,
                        null, true));

        AnalysisSpec prometheus = load(PROMETHEUS + """
                  metrics:
                    - name: memory
                      query: 'max(container_memory_working_set_bytes{pod=~"{{app}}-{{slot}}-.*"})'
                      max: 4e8""".indent(2)).analysis();
        assertThat(prometheus.metrics()).singleElement().satisfies(c -> {
            assertThat(c.query()).contains("{{slot}}");
            assertThat(c.max()).isEqualTo(4e8);
        });
    }

    @Test
    void noChecksIsAnEmptyList() throws IOException {
        assertThat(load("  metrics: []").analysis().metrics()).isEmpty();
        assertThat(load("  failureLimit: 2").analysis().metrics()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown key           | '    - {name: a, counter: {numerator: x, denominator: y}, max: 1, maximum: 2}'  | analysis.metrics[0].maximum             | unknown field
            neither source        | '    - {name: a, max: 1}'                                                         | analysis.metrics[0]                     | needs query (a PromQL template, with provider prometheus) or counter
            both sources          | '    - {name: a, query: ''sum(x)'', counter: {numerator: x, denominator: y}, max: 1}' | analysis.metrics[0]             | give query or counter, not both
            no limit              | '    - {name: a, counter: {numerator: x, denominator: y}}'                        | analysis.metrics[0]                     | needs a limit: max, min or maxIncreaseOverBaseline
            query w/o Prometheus  | '    - {name: a, query: ''sum(x)'', max: 1}'                                      | analysis.metrics[0].query               | a query needs Prometheus, and none is configured (provider is combined)
            no name               | '    - {counter: {numerator: x, denominator: y}, max: 1}'                         | analysis.metrics[0].name                | required field is missing
            name with spaces      | '    - {name: ''bot restarts'', counter: {numerator: x, denominator: y}, max: 1}' | analysis.metrics[0].name                | must be a letter, then at most 62 letters
            not a metric name     | '    - {name: a, counter: {numerator: ''x{a="1"}'', denominator: y}, max: 1}'   | analysis.metrics[0].counter.numerator   | must be a Prometheus metric name
            no denominator        | '    - {name: a, counter: {numerator: x}, max: 1}'                                | analysis.metrics[0].counter.denominator | required field is missing
            same counter twice    | '    - {name: a, counter: {numerator: x, denominator: x}, max: 1}'                | analysis.metrics[0].counter.denominator | the ratio would always be 1
            min above max         | '    - {name: a, counter: {numerator: x, denominator: y}, max: 1%, min: 5%}'      | analysis.metrics[0].min                 | is above max (0.05 > 0.01): no value could pass
            negative increase     | '    - {name: a, counter: {numerator: x, denominator: y}, maxIncreaseOverBaseline: -1%}' | analysis.metrics[0].maxIncreaseOverBaseline | must not be negative
            limit not a number    | '    - {name: a, counter: {numerator: x, denominator: y}, max: lots}'             | analysis.metrics[0].max                 | got 'lots'
            limit not finite      | '    - {name: a, counter: {numerator: x, denominator: y}, max: 1e999}'            | analysis.metrics[0].max                 | got '1e999'
            dryRun not a boolean  | '    - {name: a, counter: {numerator: x, denominator: y}, max: 1, dryRun: maybe}' | analysis.metrics[0].dryRun              | expected true or false
            empty element         | '    -'                                                                           | analysis.metrics[0]                     | invalid value
            checks not a list     | '    name: a'                                                                     | analysis.metrics                        | expected a list
            """)
    void refusedNamingFileLineAndField(String why, String check, String field, String message) {
        PlanException e = catchThrowableOfType(PlanException.class, () -> load("  metrics:\n" + check));

        assertThat(e).as(why).isNotNull();
        assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(e.getMessage()).as(why).contains(dir.resolve("plan.yaml") + ":1")
                .contains(": " + field + ": ").contains(message);
        assertThat(e.problems()).as(why).anySatisfy(p -> {
            assertThat(p.field()).isEqualTo(field);
            assertThat(p.line()).isBetween(17, 18);
        });
    }

    @Test
    void aDuplicateNameNamesTheFirst() {
        PlanException e = catchThrowableOfType(PlanException.class, () -> load("  metrics:\n"
                + "    - {name: failures, counter: {numerator: x, denominator: y}, max: 1}\n"
                + "    - {name: failures, counter: {numerator: z, denominator: y}, max: 1}"));

        assertThat(e.getMessage()).contains(":19:").contains(": analysis.metrics[1].name: duplicate check name"
                + " 'failures' (also analysis.metrics[0])");
    }

    @Test
    void tooManyChecksAreRefused() {
        StringBuilder many = new StringBuilder("  metrics:\n");
        for (int i = 0; i <= MetricChecksValidator.MAX_CHECKS; i++) {
            many.append("    - {name: c").append(i).append(", counter: {numerator: x, denominator: y}, max: 1}\n");
        }
        PlanException e = catchThrowableOfType(PlanException.class, () -> load(many.toString()));

        assertThat(e.getMessage()).contains(": analysis.metrics: at most 20 checks");
    }

    @Test
    void aCounterIsRefusedOnKubernetesWhereTheBotsCannotBeScraped() throws IOException {
        Files.writeString(dir.resolve("changelog.yaml"), "databaseChangeLog: []\n");
        String plan = RefusedPlanTest.onKubernetes("")
                .replace(LINE, LINE + "\n" + PROMETHEUS + "  metrics:\n"
                        + "    - {name: a, counter: {numerator: x, denominator: y}, max: 1}\n"
                        + "    - {name: b, query: 'sum(x)', max: 1}");
        Path file = Files.writeString(dir.resolve("plan.yaml"), plan);

        PlanException e = catchThrowableOfType(PlanException.class, () -> PlanLoader.load(file, RefusedPlanTest.ENV));

        assertThat(e.problems()).extracting(PlanProblem::field).containsExactly("analysis.metrics[0].counter");
        assertThat(e.getMessage()).contains("on kubernetes use query (PromQL)");
    }

    @Test
    void aQueryWithPrometheusOnTheLocalPlatformLoads() throws IOException {
        assertThat(load(PROMETHEUS + "  metrics:\n    - {name: b, query: 'sum(x)', max: 1}").analysis().metrics())
                .extracting(MetricCheckSpec::name).isEqualTo(List.of("b"));
    }
}
