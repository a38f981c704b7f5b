package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botshift.testing.Timed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code botshift demo -o json}: both scenarios of issue 3 as a real process, and its one-object JSON contract. */
@Timed
class DemoIT {
    /** Checks after the test that every process the demo started is gone. */
    @RegisterExtension
    final DemoRun demo = new DemoRun();

    /** The demo's command logs: removed with the test, whatever happens. */
    @org.junit.jupiter.api.io.TempDir
    Path logs;

    @Test
    void demoRollsBackTheFaultyReleaseAndPromotesTheGoodOneWithoutLosingAMessage() throws Exception {
        JsonNode summary = demo.run(logs, Duration.ofSeconds(150));

        JsonNode scenarios = summary.path("scenarios");
        assertThat(scenarios.get(0).path("maxSwitchesPerChat").asInt(99)).isLessThanOrEqualTo(2);
        assertThat(scenarios.get(1).path("maxSwitchesPerChat").asInt(99)).isLessThanOrEqualTo(1);
        assertThat(summary.path("messages").has("conflicts")).as("conflicts is for --polling only").isFalse();
        assertThat(summary.path("wallSeconds").asDouble()).isLessThan(90);
    }

    /**
     * SIGTERM to the demo's JVM alone (what a CI runner's cancel or a supervisor's stop sends; Ctrl-C in a terminal
     * sends SIGINT to the demo and, as they share its process group, to embedded PostgreSQL too) once v1 serves and
     * the traffic runs: the demo stops, and still stops the bots and the router, which run in sessions of their own,
     * and removes its state directory, before the JVM ends as SIGTERM ends it.
     */
    @Test
    void aDemoStoppedPartWayStillStopsEverythingItStarted() throws Exception {
        Cli.Run run = demo.start(logs);
        demo.watchUntil(run, Duration.ofSeconds(90), err -> err.contains("A chat platform sends"));
        Thread.sleep(1500); // the traffic running, the faulty release on its way
        run.process().destroy(); // SIGTERM
        demo.watchUntil(run, Duration.ofSeconds(70), err -> false);
        Cli.Result result = run.await(Duration.ofSeconds(5));

        assertThat(result.exitCode()).as("%s", result).isEqualTo(143);
        assertThat(result.stderr()).contains("Stopped: cleaning up what this run started")
                .contains("Cleaning up: stopping the bots and the router.").contains("botshift: stopped")
                .doesNotContain("internal error");
        java.util.regex.Matcher state = java.util.regex.Pattern.compile("(/\\S*/botshift-demo-\\d+)/")
                .matcher(result.stderr());
        assertThat(state.find()).as("the demo names its state directory in its log: %s", result).isTrue();
        assertThat(Path.of(state.group(1))).as("the demo's state directory").doesNotExist();
        // the extension then checks that every process the demo started is gone
    }

    /**
     * One run of {@code botshift demo -o json} as a real process (also {@link DemoPollingIT}'s): what every demo
     * promises (the faulty release rolled back, the good one promoted, no message lost or stored twice), and every
     * process it started gone once it has exited.
     */
    static final class DemoRun implements AfterEachCallback {
        private static final ObjectMapper JSON = new ObjectMapper();

        /** Everything the demo started while it ran: it must all be gone once it has exited. */
        private final Set<ProcessHandle> seen = new HashSet<>();
        private final int scenarios;

        DemoRun() {
            this(2);
        }

        /** @param scenarios how many scenarios the demo reports; the first two are checked here */
        DemoRun(int scenarios) {
            this.scenarios = scenarios;
        }

        /** Starts {@code botshift demo -o json} with {@code flags}; returns at once. */
        Cli.Run start(Path logs, String... flags) {
            Cli cli = new Cli(logs, Map.of("PATH", System.getenv("PATH")));
            List<String> args = new ArrayList<>(List.of("demo"));
            args.addAll(List.of(flags));
            args.addAll(List.of("-o", "json", "--repo", Cli.repo().toString()));
            return cli.start(args.toArray(String[]::new));
        }

        /**
         * Notes the demo's processes (the bots run in their own session: its descendants are sampled while it runs
         * to know them all) until it ends, its standard error passes {@code until}, or {@code limit} is up.
         */
        void watchUntil(Cli.Run run, Duration limit, java.util.function.Predicate<String> until) throws Exception {
            long deadline = System.nanoTime() + limit.toNanos();
            while (run.process().isAlive() && System.nanoTime() < deadline
                    && !until.test(java.nio.file.Files.readString(run.err()))) {
                run.process().toHandle().descendants().forEach(seen::add);
                Thread.sleep(100);
            }
        }

        /** Runs the demo with {@code flags} (at most {@code limit}) and returns its summary, checked as above. */
        JsonNode run(Path logs, Duration limit, String... flags) throws Exception {
            Cli.Run run = start(logs, flags);
            watchUntil(run, limit, err -> false);
            Cli.Result result = run.await(Duration.ofSeconds(5));

            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(result.stdout().strip().lines()).as("one line on stdout").hasSize(1);
            JsonNode summary = JSON.readTree(result.stdout());
            assertThat(summary.isObject()).isTrue();

            JsonNode scenarios = summary.path("scenarios");
            assertThat(scenarios.size()).isEqualTo(this.scenarios);
            JsonNode faulty = scenarios.get(0);
            assertThat(faulty.path("release").asText()).isEqualTo("2.0.0");
            assertThat(faulty.path("outcome").asText()).isEqualTo("ROLLED_BACK");
            assertThat(faulty.path("rollbackSeconds").isNumber()).as("rollbackSeconds of %s", faulty).isTrue();
            assertThat(faulty.path("rollbackSeconds").asDouble()).isPositive();
            assertThat(faulty.path("durationSeconds").isNumber()).isTrue();

            JsonNode good = scenarios.get(1);
            assertThat(good.path("release").asText()).isEqualTo("2.0.1");
            assertThat(good.path("outcome").asText()).isEqualTo("SUCCEEDED");
            assertThat(good.has("rollbackSeconds") && good.path("rollbackSeconds").isNull()).isTrue();
            assertThat(good.path("durationSeconds").isNumber()).isTrue();

            JsonNode messages = summary.path("messages");
            assertThat(messages.path("sent").asLong()).isPositive();
            assertThat(messages.path("stored").asLong()).isEqualTo(messages.path("sent").asLong());
            assertThat(messages.path("lost").isIntegralNumber()).isTrue();
            assertThat(messages.path("lost").asLong()).isZero();
            assertThat(messages.path("duplicated").asLong()).isZero();
            assertThat(summary.path("wallSeconds").isNumber()).isTrue();
            assertThat(seen).as("the demo started bots and a router").isNotEmpty();
            return summary;
        }

        @Override
        public void afterEach(ExtensionContext context) throws InterruptedException {
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
    }
}
