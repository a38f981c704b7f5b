package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.demo.ChatLedger;
import dev.botshift.demo.ChatPlatform;
import dev.botshift.demo.ChatStats;
import dev.botshift.plan.PlanLoader;
import dev.botshift.platform.Platforms;
import dev.botshift.platform.StateOptions;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.state.local.FileStateStore;
import dev.botshift.supervise.local.SupervisorProcess;
import dev.botshift.traffic.router.BotshiftRouterClient;
import dev.botshift.traffic.router.RouterProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * One end-to-end test's world: its own state dir, database, router port and bot marker; botshift run as a real
 * process; a chat platform sending traffic to the router. {@link #close()} stops everything and fails the test if
 * any bot or router process, or any recorded port, was left behind.
 */
final class Rig implements AutoCloseable {
    final Path root;
    final Path stateDir;
    final String marker;
    final int routerPort;
    final Map<String, String> dbEnv;
    final Cli cli;
    final Changelogs changelogs;
    final Pg pg;
    private final Map<String, Path> lastPlanByApp = new LinkedHashMap<>();
    private final List<ChatPlatform> platforms = new ArrayList<>();

    /** Variables the plans read beyond the database's (a bot token): for every command and the clean-up. */
    private final Map<String, String> extraEnv;

    Rig(Pg pg) throws IOException {
        this(pg, Map.of());
    }

    Rig(Pg pg, Map<String, String> extraEnv) throws IOException {
        this.pg = pg;
        this.extraEnv = Map.copyOf(extraEnv);
        this.root = Files.createTempDirectory("botshift-e2e-");
        this.stateDir = root.resolve("state");
        this.marker = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        this.routerPort = Leftovers.freePort();
        this.dbEnv = pg.newDatabase();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(dbEnv);
        env.putAll(extraEnv);
        env.remove("BOTSHIFT_NAMESPACE");
        this.cli = new Cli(root.resolve("logs"), env);
        this.changelogs = Changelogs.copyInto(root.resolve("db"));
    }

    /** A plan of the sample bot for this rig (its router port and marker). */
    PlanFile plan(String release, Path changelog) {
        return new PlanFile(release, changelog, routerPort, marker);
    }

    /** Writes the plan and remembers it for the clean-up. */
    Path write(PlanFile plan) {
        Path file = plan.writeTo(root.resolve("plans"));
        lastPlanByApp.put(plan.app(), file);
        return file;
    }

    /** botshift's arguments with this rig's state dir appended. */
    String[] args(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--state-dir";
        all[args.length + 1] = stateDir.toString();
        return all;
    }

    Cli.Run start(String... args) {
        return cli.start(args(args));
    }

    Cli.Result run(Duration timeout, String... args) throws InterruptedException {
        return cli.run(timeout, args(args));
    }

    /** Deploys {@code plan} to the end and asserts the exit code. */
    Cli.Result deploy(PlanFile plan, int expectedExit, String... options) throws InterruptedException {
        String[] args = new String[options.length + 3];
        args[0] = "deploy";
        args[1] = "-f";
        args[2] = write(plan).toString();
        System.arraycopy(options, 0, args, 3, options.length);
        Cli.Result result = run(Duration.ofSeconds(120), args);
        assertThat(result.exitCode()).as(() -> result + supervisorLogs()).isEqualTo(expectedExit);
        return result;
    }

    /**
     * The end of each app's supervisor log, for a failure's message: what drove the rollout (or stopped, or started
     * unexpectedly) is told there, and the rig's folder is gone once the test ends.
     */
    String supervisorLogs() {
        StringBuilder logs = new StringBuilder();
        for (String app : lastPlanByApp.keySet()) {
            Path log = stateDir.resolve(app).resolve(SupervisorProcess.LOG);
            try {
                List<String> lines = Files.readAllLines(log);
                logs.append("\n--- the end of ").append(log).append(":\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            } catch (IOException | RuntimeException e) {
                logs.append("\n--- ").append(log).append(": ").append(e);
            }
        }
        return logs.toString();
    }

    static Cli.Result expect(int exitCode, Cli.Result r) {
        assertThat(r.exitCode()).as("%s", r).isEqualTo(exitCode);
        return r;
    }

    Optional<RolloutState> state(String app) {
        return new FileStateStore(stateDir).read(app).map(v -> RolloutStateCodec.decode(v.json()));
    }

    /** Polls the state file (every 2 ms: some phases last only tens of ms) until {@code until} holds. */
    RolloutState awaitState(String app, Predicate<RolloutState> until, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RolloutState last = null;
        Object lastSeen = null;
        Path file = stateDir.resolve(app).resolve("state.json");
        while (System.nanoTime() < deadline) {
            // decode only a file that changed (each save replaces it: a new inode): 500 decodes a second cost the
            // test JVM a third of a core, which the processes under test need on 2 cores
            Object seen = seen(file);
            if (seen == null || !seen.equals(lastSeen)) {
                try {
                    last = state(app).orElse(null);
                    lastSeen = seen;
                } catch (RuntimeException e) {
                    last = null; // a state file being replaced right now: read again
                    lastSeen = null;
                }
            }
            if (last != null && until.test(last)) {
                return last;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last phase: "
                + (last == null ? "none" : last.phase().code()));
    }

    private static Object seen(Path file) {
        try {
            java.nio.file.attribute.BasicFileAttributes a =
                    Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size());
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Starts a chat platform sending to the router: 100 chats, 120 messages/s, redelivery after 200 ms. Many chats,
     * because the split is sticky by chat: at 10 % green must still see enough requests per interval to be judged.
     */
    ChatPlatform chats() {
        return chats(routerPort);
    }

    /** A chat platform sending to the router on {@code port} (another app's). */
    ChatPlatform chats(int port) {
        return chats(port, 120);
    }

    /** How {@link #releaseUnderTraffic} ended: the stored state and what the chat platform saw. */
    record UnderTraffic(RolloutState end, ChatStats chats) {
    }

    /**
     * Deploys 1.0.0 (v1 changelog), then {@code release} while 100 chats send {@code rate} messages a second, and
     * stops the chats once the deploy exited with {@code expectedExit}.
     */
    UnderTraffic releaseUnderTraffic(int rate, PlanFile release, int expectedExit) throws InterruptedException {
        deploy(plan("1.0.0", changelogs.v1()), 0);
        ChatPlatform p = chats(routerPort, rate);
        ChatStats stats;
        try {
            deploy(release, expectedExit);
        } finally {
            stats = p.stop(Duration.ofSeconds(20));
        }
        return new UnderTraffic(state(release.app()).orElseThrow(), stats);
    }

    private ChatPlatform chats(int port, int rate) {
        ChatPlatform p = ChatPlatform.builder(URI.create("http://127.0.0.1:" + port + "/webhook"))
                .chats(100).rate(rate).redeliveryBackoff(Duration.ofMillis(200)).build();
        platforms.add(p);
        p.start();
        return p;
    }

    /** Stops {@code chats} and asserts that every update was acknowledged and stored exactly once. */
    ChatStats assertNothingLost(ChatPlatform chats) throws InterruptedException, SQLException {
        return assertNothingLost(chats, dbEnv);
    }

    /** As {@link #assertNothingLost(ChatPlatform)}, for an app whose database is {@code db}. */
    ChatStats assertNothingLost(ChatPlatform chats, Map<String, String> db) throws InterruptedException, SQLException {
        ChatStats stats = chats.stop(Duration.ofSeconds(20));
        assertThat(stats.sent()).as("messages sent").isPositive();
        assertThat(stats.unacknowledged()).as("updates never acknowledged after all redeliveries").isZero();
        try (Connection c = Pg.connect(db)) {
            ChatLedger ledger = ChatLedger.of(stats.sentIds(), c);
            assertThat(ledger.lost()).as("updates lost").isEmpty();
            assertThat(ledger.duplicated()).as("updates stored twice").isEmpty();
        }
        return stats;
    }

    /** The app's supervisor, which drives its rollout; fails when none runs. */
    SupervisorProcess supervisor(String app) {
        return SupervisorProcess.attach(stateDir.resolve(app))
                .orElseThrow(() -> new AssertionError("no supervisor runs for " + app + "; the end of its log:\n"
                        + logEnd(stateDir.resolve(app).resolve(SupervisorProcess.LOG))));
    }

    private static String logEnd(Path log) {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (java.io.IOException e) {
            return "(" + e + ")";
        }
    }

    /**
     * {@code kill -9} the app's supervisor and, first, its spare (which would take over from it): nothing of Botshift
     * drives the app now, as after a reboot; no shutdown hook, no lock released. Answers the supervisor's pid.
     */
    long killSupervisor(String app) throws Exception {
        Optional<ProcessHandle> spare = spare(app);
        long pid = supervisor(app).pid();
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
        // both at once, as a reboot would: a kill that waited for the spare first landed after short phases ended
        handle.destroyForcibly();
        spare.ifPresent(ProcessHandle::destroyForcibly); // also once it has begun to become the supervisor
        handle.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        if (spare.isPresent()) {
            spare.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        return pid;
    }

    /** {@code kill -9} the app's supervisor alone: its spare takes over. Answers its pid. */
    long killSupervisorOnly(String app) throws Exception {
        long pid = supervisor(app).pid();
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
        handle.destroyForcibly();
        handle.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        return pid;
    }

    /** The app's supervisor's spare, while it waits ({@link dev.botshift.supervise.local.SupervisorSpare}). */
    Optional<ProcessHandle> spare(String app) throws java.io.IOException {
        Path record = stateDir.resolve(app).resolve(dev.botshift.supervise.local.SupervisorSpare.RECORD);
        if (!java.nio.file.Files.exists(record)) {
            return java.util.Optional.empty();
        }
        long pid = new com.fasterxml.jackson.databind.ObjectMapper().readTree(record.toFile()).path("pid").asLong();
        return ProcessHandle.of(pid).filter(p -> p.info().commandLine().orElse("")
                .contains(dev.botshift.supervise.local.SupervisorSpare.SPARE_NAME));
    }

    BotshiftRouterClient router(String app) {
        return RouterProcess.attach(stateDir.resolve(app).resolve("router"))
                .orElseThrow(() -> new AssertionError("no live router for " + app)).client();
    }

    /** Stops chats, bots and routers; fails if anything (process or port) of this rig is still there. */
    @Override
    public void close() throws Exception {
        for (ChatPlatform p : platforms) {
            p.stop(Duration.ofSeconds(1));
        }
        for (String app : lastPlanByApp.keySet()) {
            // the supervisor first: it writes state and its guard would start again what is stopped below
            SupervisorProcess.attach(stateDir.resolve(app)).ifPresent(SupervisorProcess::stop);
        }
        Set<Integer> ports = Leftovers.recordedPorts(stateDir);
        ports.add(routerPort);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        for (Path plan : lastPlanByApp.values()) {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.putAll(dbEnv);
            env.putAll(extraEnv);
            Platforms.tearDownLocal(PlanLoader.load(plan, env), StateOptions.local(stateDir), quiet);
        }
        List<ProcessHandle> left = Leftovers.processes(marker, stateDir);
        String described = Leftovers.describe(left) + (left.isEmpty() ? "" : supervisorLogs());
        left.forEach(ProcessHandle::destroyForcibly);
        assertThat(left).as("processes left behind by the rig:\n%s", described).isEmpty();
        assertThat(Leftovers.inUse(ports, marker, stateDir)).as("ports still listening").isEmpty();
        if (!Boolean.getBoolean("botshift.e2e.keep")) {
            deleteTree(root);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
