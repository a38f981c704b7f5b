package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botshift.testing.Timed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code botshift demo -o json}: both scenarios of issue 3 as a real process, and its one-object JSON contract. */
@Timed
class DemoIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Everything the demo started while it ran: it must all be gone once it has exited. */
    private final Set<ProcessHandle> seen = new HashSet<>();

    @AfterEach
    void nothingLeftBehind() throws InterruptedException {
        // processes the demo stopped may take a moment to finish exiting after the demo itself has
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (seen.stream().anyMatch(Leftovers::running) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        List<ProcessHandle> alive = seen.stream().filter(Leftovers::running).toList();
        String described = Leftovers.describe(alive);
        alive.forEach(ProcessHandle::destroyForcibly);
        assertThat(alive).as("processes the demo left behind:\n%s", described).isEmpty();
    }

    /** The demo's command logs: removed with the test, whatever happens. */
    @org.junit.jupiter.api.io.TempDir
    Path logs;

    @Test
    void demoRollsBackTheFaultyReleaseAndPromotesTheGoodOneWithoutLosingAMessage() throws Exception {
        Cli cli = new Cli(logs, Map.of("PATH", System.getenv("PATH")));
        Cli.Run run = cli.start("demo", "-o", "json", "--repo", Cli.repo().toString());
        // the bots run in their own session: sample the demo's descendants while it runs to know them all
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (run.process().isAlive() && System.nanoTime() < deadline) {
            run.process().toHandle().descendants().forEach(seen::add);
            Thread.sleep(100);
        }
        Cli.Result result = run.await(Duration.ofSeconds(5));

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout().strip().lines()).as("one line on stdout").hasSize(1);
        JsonNode summary = JSON.readTree(result.stdout());
        assertThat(summary.isObject()).isTrue();

        JsonNode scenarios = summary.path("scenarios");
        assertThat(scenarios.size()).isEqualTo(2);
        JsonNode faulty = scenarios.get(0);
        assertThat(faulty.path("release").asText()).isEqualTo("2.0.0");
        assertThat(faulty.path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(faulty.path("rollbackSeconds").isNumber()).as("rollbackSeconds of %s", faulty).isTrue();
        assertThat(faulty.path("rollbackSeconds").asDouble()).isPositive();
        assertThat(faulty.path("durationSeconds").isNumber()).isTrue();
        assertThat(faulty.path("maxSwitchesPerChat").asInt(99)).isLessThanOrEqualTo(2);

        JsonNode good = scenarios.get(1);
        assertThat(good.path("release").asText()).isEqualTo("2.0.1");
        assertThat(good.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(good.has("rollbackSeconds") && good.path("rollbackSeconds").isNull()).isTrue();
        assertThat(good.path("durationSeconds").isNumber()).isTrue();
        assertThat(good.path("maxSwitchesPerChat").asInt(99)).isLessThanOrEqualTo(1);

        JsonNode messages = summary.path("messages");
        assertThat(messages.path("sent").asLong()).isPositive();
        assertThat(messages.path("stored").asLong()).isEqualTo(messages.path("sent").asLong());
        assertThat(messages.path("lost").isIntegralNumber()).isTrue();
        assertThat(messages.path("lost").asLong()).isZero();
        assertThat(messages.path("duplicated").asLong()).isZero();
        assertThat(messages.has("conflicts")).as("conflicts is for --polling only").isFalse();
        assertThat(summary.path("wallSeconds").isNumber()).isTrue();
        assertThat(summary.path("wallSeconds").asDouble()).isLessThan(90);
        assertThat(seen).as("the demo started bots and a router").isNotEmpty();
    }
}
