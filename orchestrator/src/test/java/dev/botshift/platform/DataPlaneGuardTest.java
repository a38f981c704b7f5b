package dev.botshift.platform;

import com.sun.net.httpserver.HttpServer;
import dev.botshift.core.Slot;
import dev.botshift.os.JdkHttpServer;
import dev.botshift.plan.WorkloadSpec;
import dev.botshift.rollout.Repairs;
import dev.botshift.testing.Slow;
import dev.botshift.testing.StopSignal;
import dev.botshift.traffic.router.FileRouterConfigSource;
import dev.botshift.traffic.router.RouterConfig;
import dev.botshift.traffic.router.RouterProcess;
import dev.botshift.traffic.router.RouterSpare;
import dev.botshift.workload.local.LocalWorkloads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The supervisor's guard against a router killed for real (kill -9): the warm spare takes over its port with the
 * stored split within a second and is replaced by a new spare; without a spare the router is started cold; closing
 * the guard leaves no spare behind.
 */
@Slow
class DataPlaneGuardTest {
    /** Measured 0.2–0.6 s on an idle machine; a cold start needs 3–4 s, so this bound tells them apart. */
    private static final Duration SPARE_SERVES_WITHIN = Duration.ofMillis(2500);

    @TempDir
    Path dir;
    private final ByteArrayOutputStream said = new ByteArrayOutputStream();
    private HttpServer bot;
    private DataPlaneGuard guard;

    @AfterEach
    void cleanUp() {
        if (guard != null) {
            guard.close();
            guard.router().stop();
        }
        if (bot != null) {
            bot.stop(0);
        }
    }

    @Test
    void aKilledRouterIsReplacedByTheWarmSpareWithinASecondAndAnotherSpareWaits() throws Exception {
        RouterSpare spare = startedWithAWarmSpare();
        RouterProcess killed = guard.router();
        int port = killed.listenPort();

        ProcessHandle.of(killed.pid()).orElseThrow().destroyForcibly();
        long from = System.nanoTime();
        Duration back = awaitServing(port, Duration.ofSeconds(30));

        assertThat(back).as("served again after " + back.toMillis() + " ms").isLessThan(SPARE_SERVES_WITHIN);
        // the spare serves from the moment it has the port; the guard records it as the router right after
        long recordBy = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (guard.router().pid() != spare.pid() && System.nanoTime() < recordBy) {
            Thread.sleep(10);
        }
        assertThat(guard.router().pid()).isEqualTo(spare.pid());
        // and the repair a moment after that (a run once read the repairs between the two)
        List<Repairs.Repair> repairs = new java.util.ArrayList<>(guard.take());
        while (repairs.isEmpty() && System.nanoTime() < recordBy) {
            Thread.sleep(10);
            repairs.addAll(guard.take());
        }
        assertThat(repairs).extracting(Repairs.Repair::what).singleElement().asString()
                .contains("the router (pid " + killed.pid() + ") died: its hot spare (pid " + spare.pid()
                        + ") took over port " + port);
        RouterSpare next = awaitSpare(spare.pid());
        assertThat(next.pid()).isNotEqualTo(spare.pid());
        assertThat(RouterProcess.attach(dir.resolve("router")).orElseThrow().client().acceptsCredentials())
                .as("other processes steer the promoted router with the token file").isTrue();

        guard.close();
        assertThat(ProcessHandle.of(next.pid()).map(ProcessHandle::isAlive).orElse(false))
                .as("a spare never outlives its guard").isFalse();
        try (var files = Files.list(dir.resolve("router"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .noneMatch(n -> n.startsWith(RouterSpare.TOKEN_PREFIX) || n.startsWith(RouterSpare.RECORD_PREFIX));
        }
        System.out.println("measured: router killed, the spare served again after " + back.toMillis() + " ms (" + (System.nanoTime() - from) / 1_000_000
                + " ms to the assertions)");
    }

    /**
     * A router whose process lives but serves nothing (stopped with SIGSTOP: what a deadlock or a machine that
     * swaps it out looks like from outside) is killed after {@link DataPlaneGuard#HUNG_AFTER} unanswered looks, and
     * its spare takes over; before, the guard looked at the pid only and left the port dead.
     */
    @Test
    void aRouterThatLivesButAnswersNothingIsKilledAndReplacedByItsSpare() throws Exception {
        RouterSpare spare = startedWithAWarmSpare();
        RouterProcess hung = guard.router();
        int port = hung.listenPort();

        StopSignal.stop(hung.pid());
        Duration back = awaitServing(port, Duration.ofSeconds(40));

        System.out.println("measured: router stopped (SIGSTOP), served again by its spare after " + back.toMillis()
                + " ms");
        assertThat(back).as("bounded by the looks (about %s s) and the takeover", HUNG_AFTER_SECONDS)
                .isLessThan(Duration.ofSeconds(HUNG_AFTER_SECONDS + 10));
        // should a webhook be answered before the guard's looks could have replaced the stopped router, say who
        // listens on its port
        assertThat(hung.alive()).as("the hung router is killed, not left stopped (answered after %s ms; listening on"
                + " port %s now:\n%s)", back.toMillis(), port, dev.botshift.testing.ListeningSockets.describe(port)).isFalse();
        long recordBy = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<Repairs.Repair> repairs = new java.util.ArrayList<>(guard.take());
        while (repairs.isEmpty() && System.nanoTime() < recordBy) {
            Thread.sleep(10);
            repairs.addAll(guard.take());
        }
        assertThat(repairs).extracting(Repairs.Repair::what).singleElement().asString()
                .contains("the router (pid " + hung.pid() + ") was hung (its health check failed: no answer, or its "
                        + "webhook port stuck) and was "
                        + "killed: its hot spare (pid " + spare.pid() + ") took over port " + port);
        assertThat(said.toString(StandardCharsets.UTF_8)).contains("failed its health check " + DataPlaneGuard.HUNG_AFTER
                + " looks in a row");
    }

    /** The longest the looks take to call a router hung: each waits its timeout, then the period. */
    private static final long HUNG_AFTER_SECONDS = DataPlaneGuard.HUNG_AFTER
            * (DataPlaneGuard.PROBE_TIMEOUT.toSeconds() + DataPlaneGuard.PROBE_PERIOD.toSeconds());

    @Test
    void withoutASpareTheRouterIsStartedColdAndTheRepairSaysSo() throws Exception {
        guard = guard(false);
        guard.start();
        RouterProcess killed = guard.router();
        int port = killed.listenPort();
        ProcessHandle.of(killed.pid()).orElseThrow().destroyForcibly();
        awaitServing(port, Duration.ofSeconds(60));

        assertThat(guard.spare()).isEmpty();
        assertThat(guard.router().pid()).isNotEqualTo(killed.pid());
        assertThat(guard.take()).extracting(Repairs.Repair::what).singleElement().asString()
                .contains("started again cold on port " + port).contains("no spare was ready");
    }

    @Test
    void logsPastTheLimitAreCutInPlace() throws Exception {
        guard = guard(false);
        Path logs = LocalWorkloads.logDir(dir, "bot");
        Files.createDirectories(logs);
        Path botLog = logs.resolve("a-0.log");
        byte[] big = new byte[(int) dev.botshift.os.PrivateFiles.LOG_LIMIT_BYTES + 1];
        try (java.io.OutputStream bot = new java.io.FileOutputStream(botLog.toFile(), true)) {
            bot.write(big);
            bot.flush();
            Files.writeString(logs.resolve("b-0.log"), "small\n");

            guard.check();

            assertThat(Files.size(botLog)).isZero();
            assertThat(Files.size(logs.resolve("a-0.log.1"))).isEqualTo(big.length);
            assertThat(Files.readString(logs.resolve("b-0.log"))).as("under the limit").isEqualTo("small\n");
            assertThat(said.toString(StandardCharsets.UTF_8)).contains(botLog + " passed 10 MiB: cut, its older "
                    + "part kept in a-0.log.1");
        }
    }

    private DataPlaneGuard guard(boolean hotSpare) throws IOException {
        bot = JdkHttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        bot.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] answer = "blue".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        bot.start();
        Path routerDir = dir.resolve("router");
        Files.createDirectories(routerDir);
        Path config = routerDir.resolve("config.json");
        try (FileRouterConfigSource source = FileRouterConfigSource.open(config)) {
            source.store(RouterConfig.initial().withBackends(Slot.A,
                    List.of(URI.create("http://127.0.0.1:" + bot.getAddress().getPort()))));
        }
        RouterProcess.Options options = RouterProcess.Options.of(0, 0, config);
        RouterProcess router = RouterProcess.attachOrStart(routerDir, options);
        WorkloadSpec none = new WorkloadSpec(WorkloadSpec.LOCAL, 1, List.of("true"), Map.of(), "/healthz",
                Duration.ofSeconds(30), Duration.ofSeconds(2), null);
        LocalWorkloads workloads = new LocalWorkloads("bot", dir, none, dir, Map.of(), line -> { }, Clock.systemUTC());
        return new DataPlaneGuard(router, routerDir, options, workloads, "2.0.0", null,
                new PrintStream(said, true, StandardCharsets.UTF_8), Clock.systemUTC(), hotSpare);
    }

    /** The guard's spare once it has one whose pid is not {@code notPid}. */
    private RouterSpare awaitSpare(long notPid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<RouterSpare> spare = guard.spare();
            if (spare.isPresent() && spare.get().pid() != notPid) {
                return spare.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the guard kept no spare; it said:\n" + said.toString(StandardCharsets.UTF_8));
    }

    /** Starts the guard, waits for its spare to be warm and for the router to serve; the spare. */
    private RouterSpare startedWithAWarmSpare() throws Exception {
        guard = guard(true);
        guard.start();
        RouterSpare spare = awaitSpare(0);
        awaitLog("router standby (pid " + spare.pid() + "): warm");
        assertThat(post(guard.router().listenPort(), Duration.ofSeconds(30))).as("a first request, JIT still cold")
                .isEqualTo("blue");
        return spare;
    }

    private void awaitLog(String text) throws Exception {
        Path log = dir.resolve("router").resolve(RouterProcess.LOG_FILE);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' in the router's log:\n" + Files.readString(log));
    }

    /** How long until a webhook on {@code port} reaches the bot again. */
    private Duration awaitServing(int port, Duration timeout) throws InterruptedException {
        long from = System.nanoTime();
        while (System.nanoTime() - from < timeout.toNanos()) {
            try {
                if ("blue".equals(post(port, Duration.ofSeconds(2)))) {
                    return Duration.ofNanos(System.nanoTime() - from);
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new AssertionError("nothing served on " + port + " within " + timeout + "; the guard said:\n"
                + said.toString(StandardCharsets.UTF_8));
    }

    private static String post(int port, Duration timeout) throws IOException, InterruptedException {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hook"))
                                .timeout(timeout)
                                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":{\"chat\":{\"id\":7}}}")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
    }
}
