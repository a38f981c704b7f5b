package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.ExitCode;
import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.Request;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.state.local.FileStateStore;
import dev.botshift.supervise.local.SupervisorProcess;
import dev.botshift.traffic.router.RouterProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The CLI's contract: help that teaches, exit codes as documented, commands that do what they say. */
class CommandsTest {
    static final Path REPO = Path.of(System.getProperty("botshift.repo", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    /** Runs the CLI in-process, capturing both the picocli streams and System.out/err (commands print results there). */
    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            CommandLine cl = Main.commandLine();
            cl.setOut(new java.io.PrintWriter(o, true));
            cl.setErr(new java.io.PrintWriter(e, true));
            int code = cl.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy", "status", "promote", "pause", "resume", "abort", "down", "lint", "plan", "demo", "router", "webhook"})
    void everyCommandExplainsItself(String command) {
        Run r = run(command, "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: botshift " + command).hasSizeGreaterThan(200);
    }

    @Test
    void topLevelHelpListsTheExitCodes() {
        Run r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Exit codes:", "3  rolled back", "4  waiting at a manual gate", "5  another run holds the lock");
    }

    @Test
    void unknownFlagIsInvalidInput() {
        Run r = run("deploy", "--plan", "x.yaml", "--frobnicate");
        assertThat(r.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(r.err()).contains("Unknown option: '--frobnicate'");
    }

    @Test
    void theSampleV2ChangelogLintsClean() {
        Run r = run("lint", REPO.resolve("examples/sentiment-bot/db/changelog-v2.yaml").toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
    }

    @Test
    void droppingAColumnInExpandIsRefusedNamingChangesetAndRule() throws Exception {
        Path changelog = tmp.resolve("bad.sql");
        Files.writeString(changelog, """
                --liquibase formatted sql
                --changeset me:drop-old-column labels:expand
                ALTER TABLE user_interactions DROP COLUMN message_text;
                """);
        Run r = run("lint", changelog.toString());
        assertThat(r.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(r.out()).contains("drop-old-column", "expand-drop-column");
    }

    @Test
    void planPrintsStepsAndTheSqlOfBothPhasesWithoutChangingAnything() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            Path plan = tmp.resolve("plan.yaml");
            String text = Files.readString(REPO.resolve("examples/sentiment-bot/plan-v2.yaml"))
                    .replace("${env:DB_URL}", "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres")
                    .replace("${env:DB_USER}", "postgres")
                    .replace("password: ${env:DB_PASSWORD}", "").replace("passwordEnv: DB_PASSWORD", "")
                    .replace("changelog: db/", "changelog: " + REPO.resolve("examples/sentiment-bot/db") + "/")
                    .replace("target/sentiment-bot.jar", REPO.resolve("examples/sentiment-bot/target/sentiment-bot.jar").toString());
            Files.writeString(plan, text);
            Run r = run("plan", "-f", plan.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("10% of traffic", "-- EXPAND", "sentiment_score", "-- CONTRACT", "SET NOT NULL",
                    "A green instance that dies (the guard starts it again) fails the analysis.");
            try (var c = pg.getPostgresDatabase().getConnection();
                 var rs = c.getMetaData().getTables(null, null, "user_interactions", null)) {
                assertThat(rs.next()).as("plan changed nothing").isFalse();
            }
        }
    }

    @Test
    void statusShowsAStoredRolloutAsTableAndJson() {
        FileStateStore store = new FileStateStore(tmp);
        RolloutState s = RolloutState.begin("bot", "2.0.0", "run1", 1, "/plan.yaml", dev.botshift.core.Slot.A, "1.0.0", null,
                Instant.now()).withPhase(new Phase.Shifting(1), Instant.now(), "test");
        write(store, s);

        Run table = run("status", "bot", "--state-dir", tmp.toString());
        assertThat(table.code()).isZero();
        assertThat(table.out()).contains("SHIFTING — step 2", "Replacing:", "1.0.0 (blue)");

        Run json = run("status", "bot", "-o", "json", "--state-dir", tmp.toString());
        assertThat(json.code()).isZero();
        assertThat(json.out().trim()).startsWith("{").endsWith("}").contains("\"phase\" : \"SHIFTING\"");
    }

    @Test
    void statusSaysWhenNothingGuardsAnApp() {
        FileStateStore store = new FileStateStore(tmp);
        RolloutState open = RolloutState.begin("bot", "2.0.0", "run1", 1, "/plan.yaml", dev.botshift.core.Slot.A,
                "1.0.0", null, Instant.now()).withPhase(new Phase.Shifting(1), Instant.now(), "test");
        write(store, open);
        assertThat(run("status", "bot", "--state-dir", tmp.toString()).err())
                .contains("no supervisor drives bot 2.0.0", "'botshift up bot' starts one, 'botshift resume bot' starts one and follows it");

        write(store, open.withPhase(new Phase.Succeeded(), Instant.now(), "test"));
        Run ended = run("status", "bot", "--state-dir", tmp.toString());
        assertThat(ended.code()).isZero();
        assertThat(ended.err()).contains("nothing guards the router and bots of bot", "'botshift up bot' starts one")
                .doesNotContain("drives");
    }

    /**
     * {@code up} changes nothing where a supervisor runs, and refuses what it cannot start (the starting itself, with
     * the plan its deploy kept: RebootIT).
     */
    @Test
    void upLeavesARunningSupervisorAloneAndRefusesWhatItCannotStart() {
        Run none = run("up", "nobody", "--state-dir", tmp.toString());
        assertThat(none.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(none.err()).contains("no rollout of 'nobody' found in " + tmp);
        Run cluster = run("up", "bot", "--namespace", "prod", "--state-dir", tmp.toString());
        assertThat(cluster.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(cluster.err()).contains("on Kubernetes (namespace prod) the controller drives every rollout");

        FileStateStore store = new FileStateStore(tmp);
        RolloutState paused = RolloutState.begin("bot", "2.0.0", "run1", 1, "/plan.yaml", dev.botshift.core.Slot.A,
                "1.0.0", null, Instant.now()).withPhase(new Phase.Paused(new Phase.Shifting(1), "test"), Instant.now(), "test");
        write(store, paused);
        Run unreadable = run("up", "bot", "--state-dir", tmp.toString());
        assertThat(unreadable.code()).as("no plan kept, and /plan.yaml is not there").isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(store.requests("bot")).as("no request handed in: a paused rollout stays paused").isEmpty();

        Path appDir = tmp.resolve("bot");
        assertThat(SupervisorProcess.claim(appDir)).as("this JVM stands for the supervisor").isEmpty();
        try {
            Run running = run("up", "bot", "--state-dir", tmp.toString(), "--wait", "0s");
            assertThat(running.code()).isZero();
            assertThat(running.err()).contains("the supervisor (pid " + ProcessHandle.current().pid() + ") runs for "
                    + "bot 2.0.0 (PAUSED); nothing to start");
        } finally {
            SupervisorProcess.forgetSelf(appDir);
        }
        assertThat(store.requests("bot")).isEmpty();
    }

    /**
     * {@code up} waits for the app to serve, not only for its supervisor: here nothing serves (no router, no bots), so
     * it says what it waits for and gives up after --wait with exit code 6 (RebootIT: it exits 0 once served).
     */
    @Test
    void upWaitsForTheAppToServeAndSaysWhatItWaitsFor() throws Exception {
        openRollout();
        Path appDir = tmp.resolve("state").resolve("bot");
        assertThat(SupervisorProcess.claim(appDir)).as("this JVM stands for the supervisor").isEmpty();
        try {
            long t0 = System.nanoTime();
            Run waited = run("up", "bot", "--state-dir", tmp.resolve("state").toString(), "--wait", "1s");
            assertThat(waited.code()).as(waited.err()).isEqualTo(ExitCode.TIMED_OUT);
            assertThat((System.nanoTime() - t0) / 1_000_000).as("waited --wait, not more").isBetween(1_000L, 6_000L);
            assertThat(waited.err()).contains("nothing to start", "botshift: bot does not serve after 1s (waiting for "
                    + "the router to answer); the supervisor goes on starting it");
        } finally {
            SupervisorProcess.forgetSelf(appDir);
        }
    }

    /**
     * A first release's blue runs no release: a router routing to it is not an app that serves, and after that release
     * was rolled back there is nothing to wait for.
     */
    @Test
    void upWaitsForAFirstReleaseToBeRoutedAndNotAfterItsRollback() throws Exception {
        FileStateStore store = openRollout();
        Path appDir = tmp.resolve("state").resolve("bot");
        RolloutState first = RolloutState.begin("bot", "2.0.0", "run0", 1, tmp.resolve("plan.yaml").toString(),
                null, null, null, Instant.now()).withPhase(new Phase.Shifting(0), Instant.now(), "test");
        write(store, first);
        assertThat(SupervisorProcess.claim(appDir)).as("this JVM stands for the supervisor").isEmpty();
        RouterProcess router = RouterProcess.attachOrStart(appDir.resolve("router"),
                RouterProcess.Options.of(0, 0, appDir.resolve("router").resolve(RouterProcess.CONFIG_FILE)));
        try {
            router.client().setWeights(Weights.allTo(Slot.B)); // the first release's blue: no release
            Run waited = run("up", "bot", "--state-dir", tmp.resolve("state").toString(), "--wait", "1s");
            assertThat(waited.code()).as(waited.err()).isEqualTo(ExitCode.TIMED_OUT);
            assertThat(waited.err()).contains("(waiting for the router to give 2.0.0 traffic (the first release: "
                    + "nothing served before it))");

            router.client().setBackends(Slot.A, List.of(URI.create("http://127.0.0.1:1")));
            router.client().setWeights(Weights.allTo(Slot.A));
            waited = run("up", "bot", "--state-dir", tmp.resolve("state").toString(), "--wait", "1s");
            assertThat(waited.code()).as(waited.err()).isEqualTo(ExitCode.TIMED_OUT);
            assertThat(waited.err()).contains("(waiting for 2.0.0's bots to answer /healthz (0 of 1");

            write(store, first.withPhase(new Phase.RolledBack("test"), Instant.now(), "test"));
            waited = run("up", "bot", "--state-dir", tmp.resolve("state").toString(), "--wait", "1s");
            assertThat(waited.code()).as(waited.err()).isEqualTo(ExitCode.OK);
            assertThat(waited.err()).contains("botshift: bot serves no release: its first, 2.0.0, was rolled back");
        } finally {
            router.stop();
            SupervisorProcess.forgetSelf(appDir);
        }
    }

    /** Between rollouts the supervisor's repairs are in no history: status shows what its record says. */
    @Test
    void statusSaysWhatTheSupervisorGuardingAnEndedRolloutRepaired() throws Exception {
        FileStateStore store = new FileStateStore(tmp);
        Instant t = Instant.parse("2026-12-04T22:00:00.123Z");
        write(store, RolloutState.begin("bot", "2.0.0", "run1", 1, "/plan.yaml", dev.botshift.core.Slot.A, "1.0.0",
                null, t).withPhase(new Phase.Succeeded(), t, "test"));
        Path appDir = tmp.resolve("bot");
        assertThat(SupervisorProcess.claim(appDir)).as("this JVM stands for the supervisor").isEmpty();
        try {
            SupervisorProcess.recordGuarding(appDir, SupervisorProcess.Guarding.started("run1", t));
            assertThat(run("status", "bot", "--state-dir", tmp.toString()).err()).contains("botshift: the supervisor "
                    + "guards the router and bots of bot since 2026-12-04T22:00:00Z: nothing repaired")
                    .doesNotContain("nothing guards");

            SupervisorProcess.recordGuarding(appDir, new SupervisorProcess.Guarding("run1", t, 2,
                    t.plusSeconds(60), "the router (pid 42) died: its hot spare (pid 43) took over port 8080", null));
            assertThat(run("status", "bot", "--state-dir", tmp.toString()).err()).contains("since "
                    + "2026-12-04T22:00:00Z: 2 repairs, the last at 2026-12-04T22:01:00Z: the router (pid 42) died");
            Run json = run("status", "bot", "-o", "json", "--state-dir", tmp.toString());
            assertThat(json.err()).as("in the object, not beside it").doesNotContain("guards the router");
            com.fasterxml.jackson.databind.JsonNode guarding = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(json.out()).path("guarding");
            assertThat(guarding.path("since").asText()).isEqualTo("2026-12-04T22:00:00.123Z");
            assertThat(guarding.path("repairs").asInt()).isEqualTo(2);
            assertThat(guarding.path("lastAt").asText()).isEqualTo("2026-12-04T22:01:00.123Z");
            assertThat(guarding.path("last").asText()).startsWith("the router (pid 42) died");

            SupervisorProcess.recordGuarding(appDir, SupervisorProcess.Guarding.troubled("run1", t,
                    "the router's port 8080 is taken by another program"));
            assertThat(run("status", "bot", "--state-dir", tmp.toString()).err()).contains("botshift: the supervisor "
                    + "cannot guard the router and bots of bot since 2026-12-04T22:00:00Z: the router's port 8080 is "
                    + "taken by another program; it tries again every 5 s").doesNotContain("repair");
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(run("status", "bot", "-o", "json",
                    "--state-dir", tmp.toString()).out()).path("guarding").path("trouble").asText())
                    .startsWith("the router's port 8080 is taken");

            SupervisorProcess.recordGuarding(appDir, new SupervisorProcess.Guarding("an-earlier-run", t, 5,
                    t, "stale", null));
            assertThat(run("status", "bot", "--state-dir", tmp.toString()).err()).as("another rollout's record")
                    .doesNotContain("guards the router");
        } finally {
            SupervisorProcess.forgetSelf(appDir);
            SupervisorProcess.forgetGuarding(appDir);
        }
    }

    @Test
    void manualCommandsAreHandedToTheRollout() {
        FileStateStore store = new FileStateStore(tmp);
        RolloutState s = RolloutState.begin("bot", "2.0.0", "run1", 1, "/plan.yaml", dev.botshift.core.Slot.A, "1.0.0", null,
                Instant.now());
        write(store, s);
        // nothing drives this rollout here (its plan file does not exist): the commands wait, then say so
        Run promote = run("promote", "bot", "--full", "--timeout=1s", "--state-dir", tmp.toString());
        assertThat(promote.code()).isEqualTo(ExitCode.TIMED_OUT);
        assertThat(promote.err()).contains("not answered within 1s", "waits in the inbox");
        assertThat(run("pause", "bot", "--timeout=1s", "--state-dir", tmp.toString()).code()).isEqualTo(ExitCode.TIMED_OUT);
        assertThat(store.requests("bot").values()).extracting(json -> RolloutStateCodec.decodeRequest(json).kind())
                .containsExactly(Request.Kind.PROMOTE_FULL, Request.Kind.PAUSE);
    }

    /**
     * A request to a rollout whose driver cannot drive it now says so at once, naming the cause from the history,
     * and again when it is not answered in time; before, it waited its whole timeout without a word.
     */
    @Test
    void aRequestToARolloutItsDriverCannotDriveSaysWhyAtOnce() throws Exception {
        FileStateStore store = new FileStateStore(tmp);
        RolloutState s = RolloutState.begin("bot", "2.0.0", "run1", 1, "/plan.yaml", dev.botshift.core.Slot.A, "1.0.0",
                null, Instant.now()).record(new RolloutEvent.DriverBlocked(Instant.now(),
                "botshift supervisor (pid 42 on elsewhere)", "database localhost:5432/bot cannot be reached"));
        write(store, s);

        Run abort = run("abort", "bot", "--timeout=1s", "--state-dir", tmp.toString());

        assertThat(abort.code()).isEqualTo(ExitCode.TIMED_OUT);
        assertThat(abort.err()).contains("botshift: abort waits: botshift supervisor (pid 42 on elsewhere) cannot "
                        + "drive the rollout: database localhost:5432/bot cannot be reached (it tries again until the "
                        + "cause is fixed)",
                "not answered within 1s; it waits in the inbox for whatever drives the rollout (botshift status bot), "
                        + "which cannot drive it now: database localhost:5432/bot cannot be reached");
        assertThat(abort.err().split("abort waits", -1)).as("said once").hasSize(2);

        // status says it too, while a supervisor runs (this JVM stands for it): else "no supervisor drives" is the news
        Path appDir = tmp.resolve("bot");
        assertThat(SupervisorProcess.claim(appDir)).isEmpty();
        try {
            assertThat(run("status", "bot", "--state-dir", tmp.toString()).err()).contains("botshift: botshift "
                    + "supervisor (pid 42 on elsewhere) cannot drive the rollout: database localhost:5432/bot cannot "
                    + "be reached (it tries again until the cause is fixed) (since ");
            Run json = run("status", "bot", "-o", "json", "--state-dir", tmp.toString());
            assertThat(json.err()).as("in the object, not beside it").doesNotContain("cannot drive");
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out()).path("driverBlocked")
                    .path("why").asText()).isEqualTo("database localhost:5432/bot cannot be reached");
        } finally {
            SupervisorProcess.forgetSelf(appDir);
        }
    }

    /**
     * Where the history cannot take the cause (a corrupt lock file, say), status shows what the supervisor recorded
     * beside it, and says where it is; before, status showed nothing of a supervisor that could not drive.
     */
    @Test
    void statusShowsWhatTheSupervisorRecordedBesideAHistoryItCouldNotWrite() throws Exception {
        FileStateStore store = new FileStateStore(tmp);
        RolloutState s = RolloutState.begin("bot", "2.0.0", "run1", 1, "/plan.yaml", dev.botshift.core.Slot.A, "1.0.0",
                null, Instant.now());
        write(store, s);
        Path appDir = tmp.resolve("bot");
        assertThat(SupervisorProcess.claim(appDir)).isEmpty(); // this JVM stands for the supervisor
        try {
            SupervisorProcess.recordBlocked(appDir, "run1", Optional.of(new RolloutEvent.DriverBlocked(Instant.now(),
                    "botshift supervisor (pid 42 on here)", "lock.json is corrupt")));

            assertThat(run("status", "bot", "--state-dir", tmp.toString()).err()).contains("botshift: botshift "
                    + "supervisor (pid 42 on here) cannot drive the rollout: lock.json is corrupt (it tries again until "
                    + "the cause is fixed) (since ", "; not in the rollout's history (its log has it: "
                    + appDir.resolve("supervisor.log") + ")");
            var blocked = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    run("status", "bot", "-o", "json", "--state-dir", tmp.toString()).out()).path("driverBlocked");
            assertThat(blocked.path("why").asText()).isEqualTo("lock.json is corrupt");
            assertThat(blocked.path("inHistory").asBoolean(true)).isFalse();

            SupervisorProcess.recordBlocked(appDir, "run0", Optional.of(new RolloutEvent.DriverBlocked(Instant.now(),
                    "botshift supervisor (pid 42 on here)", "lock.json is corrupt")));
            assertThat(run("status", "bot", "--state-dir", tmp.toString()).err()).as("another rollout's record")
                    .doesNotContain("cannot drive");
            SupervisorProcess.recordBlocked(appDir, "run1", Optional.empty());
            assertThat(run("status", "bot", "--state-dir", tmp.toString()).err()).as("driving again")
                    .doesNotContain("cannot drive");
        } finally {
            SupervisorProcess.forgetSelf(appDir);
        }
        SupervisorProcess.recordBlocked(appDir, "run1", Optional.of(new RolloutEvent.DriverBlocked(Instant.now(),
                "botshift supervisor (pid 42 on here)", "lock.json is corrupt")));
        assertThat(run("status", "bot", "--state-dir", tmp.toString()).err()).as("its supervisor gone")
                .doesNotContain("cannot drive").contains("no supervisor drives bot");
    }

    /** A refusal that quotes a command's argument shows its escape sequence, never hands it to the terminal. */
    @Test
    void aRefusalShowsAnEscapeSequenceItQuotes() {
        Run r = run("status", "x\u001b[2J\u001b[31m", "--state-dir", tmp.toString());
        assertThat(r.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(r.err()).contains("'x\\u001B[2J\\u001B[31m' is not an app name").doesNotContain("\u001b");
    }

    /** Stores {@code s} as a deploy would: under the app's lock. */
    private static void write(FileStateStore store, RolloutState s) {
        try (var lock = store.lock(s.app(), "test", java.time.Duration.ofMinutes(1))) {
            store.write(s.app(), RolloutStateCodec.encode(s), store.read(s.app()).map(v -> v.version()).orElse(null),
                    lock);
        }
    }

    @Test
    void statusOfAnUnknownAppIsInvalidInput() {
        Run r = run("status", "nobody", "--state-dir", tmp.toString());
        assertThat(r.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(r.err()).contains("no rollout of 'nobody'");
    }

    @Test
    void watchingAWaitingRolloutUntilSuccessTimesOut() {
        FileStateStore store = new FileStateStore(tmp);
        RolloutState s = RolloutState.begin("bot", "2.0.0", "run1", 1, "/plan.yaml", dev.botshift.core.Slot.A, "1.0.0", null,
                Instant.now()).withPhase(new Phase.AwaitingApproval("before contract", new Phase.DrainingBlue()),
                Instant.now(), "test");
        write(store, s);
        assertThat(run("status", "bot", "--watch", "--state-dir", tmp.toString()).code()).isEqualTo(ExitCode.WAITING_AT_GATE);
        assertThat(run("status", "bot", "--watch", "--until=succeeded", "--timeout=1s", "--state-dir", tmp.toString())
                .code()).isEqualTo(ExitCode.TIMED_OUT);
        // the longest duration taken, a year, is waited as any other; one past it is refused before anything
        assertThat(run("status", "bot", "--watch", "--timeout=8760h", "--state-dir", tmp.toString()).code())
                .isEqualTo(ExitCode.WAITING_AT_GATE);
        Run longer = run("status", "bot", "--watch", "--timeout=8760h1ms", "--state-dir", tmp.toString());
        assertThat(longer.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(longer.err()).contains("'8760h1ms' is longer than 8760h (a year)");
    }


    /** A stored rollout of bot release 2.0.0, attempt 2, shifting traffic; its plan file in {@link #tmp}. */
    private FileStateStore openRollout() throws Exception {
        Path plan = tmp.resolve("plan.yaml");
        Files.writeString(plan, Files.readString(REPO.resolve("examples/sentiment-bot/demo/plan-v2.yaml"))
                .replace("name: sentiment-bot", "name: bot").replace("release: 2.0.1", "release: 2.0.0")
                .replace("${env:DB_URL}", "jdbc:postgresql://127.0.0.1:1/none").replace("${env:DB_USER}", "nobody")
                .replace("password: ${env:DB_PASSWORD}", "").replace("passwordEnv: DB_PASSWORD", "")
                .replace("../db/", REPO.resolve("examples/sentiment-bot/db") + "/"));
        FileStateStore store = new FileStateStore(tmp.resolve("state"));
        RolloutState s = RolloutState.begin("bot", "2.0.0", "run1", 2, plan.toString(), dev.botshift.core.Slot.A,
                "1.0.0", null, Instant.now()).withPhase(new Phase.Shifting(1), Instant.now(), "test");
        write(store, s);
        return store;
    }

    @Test
    void abortOfAnotherReleaseOrAttemptIsRefusedNamingTheOpenOne() throws Exception {
        FileStateStore store = openRollout();
        String dir = tmp.resolve("state").toString();
        for (String[] other : new String[][]{{"--release", "3.0.0"}, {"--release", "2.0.0", "--attempt", "1"}}) {
            Run r = run(concat(new String[]{"abort", "bot", "--state-dir", dir}, other));
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.INVALID_INPUT);
            assertThat(r.err()).contains("release 2.0.0 attempt 2 (SHIFTING)", "not release " + other[1]);
        }
        Run noRelease = run("abort", "bot", "--attempt", "2", "--state-dir", dir);
        assertThat(noRelease.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(noRelease.err()).contains("--attempt needs --release");
        RolloutState stored = RolloutStateCodec.decode(store.read("bot").orElseThrow().json());
        assertThat(stored.requests()).as("nothing was handed to the rollout").isEmpty();
        assertThat(store.requests("bot")).as("nothing waits in the inbox either").isEmpty();
        assertThat(stored.phase()).isInstanceOf(Phase.Shifting.class);
    }

    @Test
    void statusOfAnotherReleaseIsRefusedAndOfItsOwnWatchesIt() throws Exception {
        openRollout();
        String dir = tmp.resolve("state").toString();
        Run other = run("status", "bot", "--release", "1.9.0", "--watch", "--until=ended", "--timeout=1s", "--state-dir", dir);
        assertThat(other.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(other.err()).contains("release 2.0.0 attempt 2", "not release 1.9.0");
        Run own = run("status", "bot", "--release", "2.0.0", "--attempt", "2", "--watch", "--until=ended", "--timeout=1s",
                "--state-dir", dir);
        assertThat(own.code()).as(own.err()).isEqualTo(ExitCode.TIMED_OUT);
    }

    @Test
    void abortOfItsOwnReleaseIsHandedToTheRunningDeploy() throws Exception {
        FileStateStore store = openRollout();
        try (var running = store.lock("bot", "deploy-elsewhere", java.time.Duration.ofMinutes(1))) {
            // what drives the rollout holds the lock: the request waits for it in the inbox (here: never answered)
            Run r = run("abort", "bot", "--release", "2.0.0", "--attempt", "2", "--timeout=1s", "--state-dir",
                    tmp.resolve("state").toString());
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.TIMED_OUT);
            assertThat(r.err()).contains("driven by deploy-elsewhere", "waits in the inbox");
        }
        assertThat(store.requests("bot").values()).extracting(RolloutStateCodec::decodeRequest)
                .singleElement().satisfies(request -> {
                    assertThat(request.kind()).isEqualTo(Request.Kind.ABORT);
                    assertThat(request.target()).isEqualTo("release 2.0.0 attempt 2");
                });
    }

    @Test
    void planAsJsonGivesTheReleaseAPipelineNeeds() throws Exception {
        openRollout();
        Run r = run("plan", "-f", tmp.resolve("plan.yaml").toString(), "--no-sql", "-o", "json");
        assertThat(r.code()).as(r.err()).isZero();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertThat(json.path("app").asText()).isEqualTo("bot");
        assertThat(json.path("release").asText()).isEqualTo("2.0.0");
        assertThat(json.path("steps").toString()).isEqualTo("[10,25,50,100]");
        assertThat(json.has("expandSql")).isFalse();
    }

    @Test
    void planSaysWhatDeployWouldDoAndSaysSoWhenTheStoredRolloutCannotBeRead() throws Exception {
        openRollout();
        String[] plan = {"plan", "-f", tmp.resolve("plan.yaml").toString(), "--no-sql", "--state-dir",
                tmp.resolve("state").toString()};
        Run read = run(plan);
        assertThat(read.code()).as(read.err()).isZero();
        assertThat(read.out()).startsWith("deploy would follow the rollout of 2.0.0 under way (SHIFTING).");

        Files.writeString(tmp.resolve("state/bot/state.json"), "{not json");
        Run corrupt = run(plan);
        assertThat(corrupt.code()).as(corrupt.err()).isZero();
        assertThat(corrupt.out()).doesNotContain("deploy would");
        assertThat(corrupt.err()).contains("the stored rollout of bot cannot be read (")
                .contains("what deploy would do with it is not shown");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
