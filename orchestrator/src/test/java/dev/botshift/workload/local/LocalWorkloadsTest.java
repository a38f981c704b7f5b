package dev.botshift.workload.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.botshift.core.Slot;
import dev.botshift.os.FileFingerprint;
import dev.botshift.core.InvalidInputException;
import dev.botshift.plan.WorkloadSpec;
import dev.botshift.testing.Slow;
import dev.botshift.workload.Readiness;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Slow
class LocalWorkloadsTest {
    private static final Map<String, String> DB_ENV =
            Map.of("DB_URL", "jdbc:postgresql://127.0.0.1:5432/bot", "DB_USER", "bot", "DB_PASSWORD", "s3cret-pw");

    @TempDir
    Path stateDir;
    @TempDir
    Path workDir;

    private final List<String> progress = new CopyOnWriteArrayList<>();
    private final Set<Long> seenPids = ConcurrentHashMap.newKeySet();

    private LocalWorkloads workloads(WorkloadSpec spec) {
        return new LocalWorkloads("bot", stateDir, spec, workDir, DB_ENV, progress::add, Clock.systemUTC());
    }

    private LocalWorkloads workloads(int replicas) {
        return workloads(TestBots.spec(replicas, Map.of()));
    }

    @AfterEach
    void noProcessLeftBehind() {
        LocalWorkloads cleaner = workloads(1);
        for (Slot slot : Slot.values()) {
            cleaner.stop(slot);
        }
        List<Long> survivors = seenPids.stream().filter(pid -> ProcessHandle.of(pid).filter(dev.botshift.os.ProcessLife::alive).isPresent()).toList();
        survivors.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        assertThat(survivors).as("bot processes left running").isEmpty();
        // what each leftover child is, so that a failure here says which process it was (a flake of unknown cause in
        // CI, twice: a child that was not one of the test's recorded bots)
        List<String> children = ProcessHandle.current().children().filter(dev.botshift.os.ProcessLife::alive)
                .map(c -> c.pid() + " " + c.info().commandLine().orElse("?") + " started " + c.info().startInstant()
                        .map(Object::toString).orElse("?"))
                .toList();
        ProcessHandle.current().children().forEach(ProcessHandle::destroyForcibly); // none outlives the test JVM
        assertThat(children).as("child processes left running (this test's bots: %s)", seenPids).isEmpty();
    }

    @Test
    void startsReplicasThatBecomeReadyOnTheirOwnPortsWithTheirEnvironment() throws Exception {
        LocalWorkloads workloads = workloads(2);
        List<List<URI>> announced = new CopyOnWriteArrayList<>();
        workloads.onEndpointsChanged((slot, endpoints) -> announced.add(endpoints));

        workloads.start(Slot.A, "1.0.0", 2);

        assertThat(awaitReadiness(workloads, Slot.A, r -> r instanceof Readiness.Ready)).isEqualTo(new Readiness.Ready(2));
        List<URI> endpoints = workloads.endpoints(Slot.A);
        assertThat(endpoints).hasSize(2).doesNotHaveDuplicates();
        assertThat(announced).containsExactly(endpoints);
        assertThat(get(endpoints.get(0))).isEqualTo("a 1.0.0 db=jdbc:postgresql://127.0.0.1:5432/bot");
        assertThat(workloads.running(Slot.A)).isEqualTo(2);
        assertThat(workloads.readiness(Slot.B)).isEqualTo(new Readiness.Absent());
        String record = Files.readString(stateDir.resolve("bot/workloads/a.json"));
        assertThat(record).contains("\"version\" : \"1.0.0\"", "\"startedAt\"", "\"startTicks\"", "\"port\"").doesNotContain("s3cret-pw", "\"alive\"");
        assertThat(String.join("\n", progress)).contains("1.0.0 #0", "1.0.0 #1").doesNotContain("s3cret-pw");
    }

    @Test
    void aDeadInstanceLeavesTheRouterAtOnceAndItsReplacementJoinsOnceHealthy() throws Exception {
        LocalWorkloads workloads = workloads(2);
        List<URI> before = twoReady(workloads, "2.0.0");
        List<List<URI>> announced = new CopyOnWriteArrayList<>();
        workloads.onEndpointsChanged((slot, endpoints) -> announced.add(endpoints));
        ProcessHandle dead = ProcessHandle.of(pidOn(before.get(0))).orElseThrow();
        dead.destroyForcibly();
        dead.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(workloads.replaceDead(Slot.B, "1.0.0")).as("another release's instance is only taken out")
                .hasValueSatisfying(r -> assertThat(r.started()).isEmpty());
        assertThat(announced).containsExactly(List.of(before.get(1)));
        assertThat(workloads.replaceDead(Slot.B, "1.0.0")).as("once").isEmpty();

        LocalWorkloads current = workloads(2); // the plan of 2.0.0: a replacement can be started
        current.onEndpointsChanged((slot, endpoints) -> announced.add(endpoints));
        current.start(Slot.B, "2.0.0", 2);
        awaitReadiness(current, Slot.B, r -> r instanceof Readiness.Ready);
        List<URI> two = current.endpoints(Slot.B);
        ProcessHandle again = ProcessHandle.of(pidOn(two.get(1))).orElseThrow();
        again.destroyForcibly();
        again.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        announced.clear();

        LocalWorkloads.Replacement r = current.replaceDead(Slot.B, "2.0.0").orElseThrow();
        assertThat(r.started()).hasSize(1);
        assertThat(announced).as("taken out at once, the replacement not yet in").containsExactly(List.of(two.get(0)));
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (current.admitReady(Slot.B).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(announced).last().asList().hasSize(2).contains(two.get(0));
        assertThat(current.running(Slot.B)).isEqualTo(2);
    }

    /** Starts two instances of {@code version} as green's (slot b) and waits until both are ready: their endpoints. */
    private List<URI> twoReady(LocalWorkloads workloads, String version) throws Exception {
        workloads.start(Slot.B, version, 2);
        awaitReadiness(workloads, Slot.B, r -> r instanceof Readiness.Ready);
        return workloads.endpoints(Slot.B);
    }

    /**
     * A start with fewer replicas drains the extra instances only once they left the router: the colour still has
     * traffic, and a bot that exits at once on SIGTERM breaks off what is sent to it meanwhile (before, the router
     * heard of it after the drain, up to {@code workload.drainTimeout} later).
     */
    @Test
    void extraInstancesLeaveTheRouterBeforeTheyAreDrained() throws Exception {
        LocalWorkloads workloads = workloads(2);
        List<URI> two = twoReady(workloads, "1.0.0");
        ProcessHandle extra = ProcessHandle.of(pidOn(two.get(1))).orElseThrow();
        List<String> announced = new CopyOnWriteArrayList<>();
        workloads.onEndpointsChanged((slot, endpoints) -> announced.add(endpoints
                + (dev.botshift.os.ProcessLife.alive(extra) ? " while the extra instance lives" : " after it exited")));

        workloads.start(Slot.B, "1.0.0", 1);

        assertThat(announced).containsExactly(List.of(two.get(0)) + " while the extra instance lives");
        assertThat(dev.botshift.os.ProcessLife.alive(extra)).isFalse();
        assertThat(workloads.endpoints(Slot.B)).containsExactly(two.get(0));
    }

    /**
     * Each death is a restart of its place, with how it ended (green's restarts, judged as Kubernetes' container
     * restarts are): counted once it is seen, not again when the guard replaces it, and kept in the slot's record for
     * whichever process asks next.
     */
    @Test
    void eachDeathCountsAsARestartOfItsPlaceWithHowItEnded() throws Exception {
        LocalWorkloads workloads = workloads(2);
        workloads.start(Slot.B, "2.0.0", 2);
        awaitReadiness(workloads, Slot.B, r -> r instanceof Readiness.Ready);
        assertThat(workloads.restarts(Slot.B, "2.0.0")).containsExactly(entry(0, Deaths.NONE), entry(1, Deaths.NONE));

        kill(pidAt(1));
        var once = entry(1, new Deaths(1, "killed by signal 9"));
        assertThat(workloads.restarts(Slot.B, "2.0.0")).as("dead, not yet replaced").contains(once);
        assertThat(workloads.replaceDead(Slot.B, "2.0.0").orElseThrow().started()).hasSize(1);
        assertThat(workloads.restarts(Slot.B, "2.0.0")).as("replaced: the same death")
                .containsExactly(entry(0, Deaths.NONE), once);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (workloads.admitReady(Slot.B).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }

        kill(pidAt(1));
        workloads.replaceDead(Slot.B, "2.0.0").orElseThrow();
        assertThat(workloads(2).restarts(Slot.B, "2.0.0")).as("read by another process")
                .containsExactly(entry(0, Deaths.NONE), entry(1, new Deaths(2, "killed by signal 9")));
        assertThat(workloads.restarts(Slot.B, "1.0.0")).as("another release").isEmpty();
    }

    // A stop's waits (the router's webhooks, then the drain) hold no lock: the guard's round replaces a blue instance
    // that died meanwhile at once (it waited up to twice the drain timeout), and leaves green, being stopped, alone.
    @Test
    void whileAColourDrainsTheOtherIsRepairedAndTheDrainingOneIsLeftAlone() throws Exception {
        LocalWorkloads workloads = workloads(1);
        long blue = startReady(workloads, Slot.A, "1.0.0", 1).get(0);
        long green = startReady(workloads, Slot.B, "2.0.0", 1).get(0);
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch answered = new CountDownLatch(1);
        workloads.beforeDrain((slot, who, within) -> { // as the router's webhooks in flight hold a stop up
            waiting.countDown();
            try {
                answered.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        var stop = CompletableFuture.runAsync(() -> workloads.stop(Slot.B));
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
        kill(blue);
        kill(green);
        awaitDeath(blue);
        awaitDeath(green);

        var round = CompletableFuture.supplyAsync(() -> workloads.replaceDead(Slot.A, "1.0.0"));
        assertThat(round.get(5, TimeUnit.SECONDS)).as("blue repaired while green drains").isPresent();
        assertThat(workloads.replaceDead(Slot.B, "2.0.0")).as("green, being stopped, not started again").isEmpty();
        assertThat(workloads.admitReady(Slot.B)).isEmpty();
        answered.countDown();
        stop.get(30, TimeUnit.SECONDS);
        assertThat(workloads.running(Slot.B)).isZero();
        assertThat(workloads.replaceDead(Slot.B, "2.0.0")).as("stopped").isEmpty();
        assertThat(pids(Slot.A)).hasSize(1).doesNotContain(blue);
    }

    /** Blue's instance, started from blue's plan, is started again from it while green's plan is the one held. */
    @Test
    void anInstanceOfAnEarlierReleaseIsReplacedWithThatReleasesPlan() throws Exception {
        LocalWorkloads blue = workloads(TestBots.spec(1, Map.of("PLAN_OF", "blue")));
        blue.start(Slot.B, "1.0.0", 1);
        awaitReadiness(blue, Slot.B, r -> r instanceof Readiness.Ready);
        ProcessHandle dead = ProcessHandle.of(pidOn(blue.endpoints(Slot.B).get(0))).orElseThrow();
        dead.destroyForcibly();
        dead.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);

        LocalWorkloads green = workloads(TestBots.spec(1, Map.of("PLAN_OF", "green"))); // the plan of 2.0.0
        green.alsoReplaces("1.0.0", TestBots.spec(1, Map.of("PLAN_OF", "blue")), workDir, DB_ENV, Map.of());
        LocalWorkloads.Replacement r = green.replaceDead(Slot.B, "2.0.0").orElseThrow();

        assertThat(r.started()).as(r.describe()).hasSize(1);
        assertThat(r.describe()).startsWith("1.0.0 #0").contains("replaced by #0");
        long pid = pidOn(awaitEndpoint(green, Slot.B));
        assertThat(Files.readString(Path.of("/proc/" + pid + "/environ")).split("\0"))
                .as("the replacement's environment").contains("PLAN_OF=blue", "DB_PASSWORD=s3cret-pw")
                .doesNotContain("PLAN_OF=green");
    }

    @Test
    void aDeadInstanceIsNotStartedAgainFromAProgramRebuiltSinceItsDeploy() throws Exception {
        // the bot's own file, named by its command (TestBot ignores it), as a jar built into target/ would be
        Path program = Files.writeString(workDir.resolve("bot.program"), "release 1.0.0");
        java.util.List<String> command = new java.util.ArrayList<>(TestBots.command());
        command.add("bot.program");
        WorkloadSpec spec = new WorkloadSpec("local", 1, command, Map.of(), "/healthz", java.time.Duration.ofSeconds(30),
                TestBots.DRAIN, null);
        Map<Path, FileFingerprint> deployed = Map.of(program, FileFingerprint.of(program).orElseThrow());
        LocalWorkloads blue = new LocalWorkloads("bot", stateDir, spec, workDir, DB_ENV, deployed, progress::add,
                Clock.systemUTC());
        blue.start(Slot.B, "1.0.0", 1);
        awaitReadiness(blue, Slot.B, r -> r instanceof Readiness.Ready);

        // touched, its content the same: still 1.0.0's program
        Files.setLastModifiedTime(program, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
                + 60_000));
        killTheOneInstance(blue);
        assertThat(blue.replaceDead(Slot.B, "1.0.0").orElseThrow().started()).as("touched only").hasSize(1);
        awaitEndpoint(blue, Slot.B);

        Files.writeString(program, "release 2.0.0, built in place"); // the next build, same path
        killTheOneInstance(blue);
        LocalWorkloads.Replacement r = blue.replaceDead(Slot.B, "1.0.0").orElseThrow();
        assertThat(r.started()).as(r.describe()).isEmpty();
        assertThat(r.describe()).contains("not replaced (" + program + " is not what 1.0.0 was deployed with")
                .contains("starting it would run other code as 1.0.0");
        assertThat(blue.endpoints(Slot.B)).isEmpty();
        assertThat(blue.replaceDead(Slot.B, "1.0.0")).as("asked again: nothing to say, nothing started").isEmpty();
    }

    private void killTheOneInstance(LocalWorkloads workloads) throws Exception {
        ProcessHandle dead = ProcessHandle.of(pidOn(workloads.endpoints(Slot.B).get(0))).orElseThrow();
        dead.destroyForcibly();
        dead.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** The slot's one endpoint once its replacement listens. */
    private static URI awaitEndpoint(LocalWorkloads workloads, Slot slot) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (workloads.admitReady(slot).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return workloads.endpoints(slot).get(0);
    }

    @Test
    void replacementsThatDieBeforeAnsweringAreStartedAgainEverLaterUntilOneAnswers() throws Exception {
        Path cannotStart = workDir.resolve("cannot-start");
        LocalWorkloads workloads = workloads(TestBots.spec(1, Map.of("TEST_BOT_EXIT_IF", cannotStart.toString())));
        long first = startReady(workloads, Slot.B, "2.0.0", 1).get(0);
        Files.createFile(cannotStart); // from now on the bot cannot start: its database is down, say
        kill(first);

        assertThat(workloads.replaceDead(Slot.B, "2.0.0").orElseThrow().describe())
                .as("an instance that served is replaced at once").contains("#0 (pid " + first, "replaced by #0");
        long second = pids(Slot.B).get(0);
        awaitDeath(second);
        // before the call that starts the back-off: its end is at least a back-off after this (CI once measured
        // after it, and a busy machine put the end before the mark)
        long backOffEnds = System.nanoTime() + RestartBackoff.FIRST.toNanos();
        LocalWorkloads.Replacement failed = workloads.replaceDead(Slot.B, "2.0.0").orElseThrow();
        assertThat(failed.started()).isEmpty();
        assertThat(failed.describe()).contains("#0 (pid " + second, "died before answering its health check",
                "1 failed start in a row", "b-0.log", "started again in 1s");
        assertThat(workloads.replaceDead(Slot.B, "2.0.0")).as("not before the back-off's end").isEmpty();
        assertThat(workloads.running(Slot.B)).isZero();

        Optional<LocalWorkloads.Replacement> again = Optional.empty();
        while (again.isEmpty() && System.nanoTime() < backOffEnds + Duration.ofSeconds(5).toNanos()) {
            Thread.sleep(50);
            again = workloads.replaceDead(Slot.B, "2.0.0");
        }
        assertThat(System.nanoTime()).as("started again after the back-off, not before").isGreaterThanOrEqualTo(backOffEnds);
        assertThat(again.orElseThrow().describe()).contains("2.0.0 started again after the back-off: #0");
        long third = pids(Slot.B).get(0);
        awaitDeath(third);
        assertThat(workloads.replaceDead(Slot.B, "2.0.0").orElseThrow().describe())
                .contains("2 failed starts in a row", "started again in 2s");

        Files.delete(cannotStart); // the database is back
        Optional<LocalWorkloads.Replacement> recovered = Optional.empty();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (recovered.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            recovered = workloads.replaceDead(Slot.B, "2.0.0");
        }
        assertThat(recovered).as("started again once the back-off ended").isPresent();
        while (workloads.admitReady(Slot.B).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(workloads.running(Slot.B)).isEqualTo(1);
        kill(pids(Slot.B).get(0));
        assertThat(workloads.replaceDead(Slot.B, "2.0.0").orElseThrow().started())
                .as("one that answered resets the back-off: the next death is replaced at once").hasSize(1);
    }

    /**
     * A supervisor started again (another object, as another process) goes on where the last one stopped: a
     * replacement still starting stays out of the router, one that dies before answering is a failed start, and a
     * crash loop's back-off goes on growing instead of starting again at 1 s.
     */
    @Test
    void theReplacementsStillStartingAndTheBackOffOutliveTheProcessThatStartedThem() throws Exception {
        Path notReady = workDir.resolve("not-ready");
        Path cannotStart = workDir.resolve("cannot-start");
        WorkloadSpec spec = TestBots.spec(2, Map.of("TEST_BOT_NOT_READY_IF", notReady.toString(),
                "TEST_BOT_EXIT_IF", cannotStart.toString()));
        LocalWorkloads first = workloads(spec);
        first.start(Slot.B, "2.0.0", 2);
        awaitReadiness(first, Slot.B, r -> r instanceof Readiness.Ready);
        URI stays = first.endpoints(Slot.B).get(0);
        Files.createFile(notReady);
        kill(pidAt(1));
        assertThat(first.replaceDead(Slot.B, "2.0.0").orElseThrow().started()).hasSize(1);

        LocalWorkloads second = workloads(spec);
        assertThat(second.endpoints(Slot.B)).hasSize(2);
        assertThat(second.routable(Slot.B)).as("the replacement still starting, kept out").containsExactly(stays);
        assertThat(second.admitReady(Slot.B)).as("not answering yet").isEmpty();
        Files.delete(notReady);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (second.admitReady(Slot.B).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(workloads(spec).routable(Slot.B)).as("answered: in").hasSize(2).contains(stays);

        Files.createFile(cannotStart); // from now on a replacement dies at once
        kill(pidAt(1));
        assertThat(second.replaceDead(Slot.B, "2.0.0").orElseThrow().describe()).contains("replaced by #1");
        awaitDeath(pidAt(1));
        assertThat(second.admitReady(Slot.B)).as("dead before answering: left for the failed start's count").isEmpty();
        long backOffEnds = System.nanoTime() + RestartBackoff.FIRST.toNanos();
        assertThat(workloads(spec).replaceDead(Slot.B, "2.0.0").orElseThrow().describe())
                .as("counted by a process that did not start it").contains("1 failed start in a row", "in 1s");
        assertThat(workloads(spec).replaceDead(Slot.B, "2.0.0")).as("the back-off holds for the next process").isEmpty();
        Optional<LocalWorkloads.Replacement> again = Optional.empty();
        while (again.isEmpty() && System.nanoTime() < backOffEnds + Duration.ofSeconds(5).toNanos()) {
            Thread.sleep(50);
            again = workloads(spec).replaceDead(Slot.B, "2.0.0");
        }
        assertThat(again.orElseThrow().describe()).contains("started again after the back-off: #1");
        awaitDeath(pidAt(1));
        assertThat(workloads(spec).replaceDead(Slot.B, "2.0.0").orElseThrow().describe())
                .contains("2 failed starts in a row", "started again in 2s");
        assertThat(workloads(spec).restarts(Slot.B, "2.0.0").get(1).times()).as("every death at #1").isEqualTo(4);
    }

    private void kill(long pid) throws Exception {
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        process.destroyForcibly();
        process.onExit().get(10, TimeUnit.SECONDS);
    }

    private static void awaitDeath(long pid) throws Exception {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            process.get().onExit().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void startingAgainIsANoOpAndANewObjectReattachesInsteadOfStartingDuplicates() throws Exception {
        LocalWorkloads first = workloads(2);
        List<Long> pids = startReady(first, Slot.B, "2.0.0", 2);

        first.start(Slot.B, "2.0.0", 2);
        assertThat(pids(Slot.B)).isEqualTo(pids);

        first = null; // the launching object is gone, as after a crash of the orchestrator
        System.gc();
        LocalWorkloads second = workloads(2);
        second.start(Slot.B, "2.0.0", 2);

        assertThat(pids(Slot.B)).isEqualTo(pids);
        assertThat(pids).allMatch(pid -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent());
        assertThat(second.readiness(Slot.B)).isEqualTo(new Readiness.Ready(2));
        assertThat(Files.readString(log(Slot.B, 0))).containsOnlyOnce("botshift: starting");
    }

    @Test
    void botsOutliveAnOrchestratorKilledWithSigkill() throws Exception {
        Process deployer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                DeployerMain.class.getName(), stateDir.toString(), workDir.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(deployer.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("STARTED");
        } finally {
            deployer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        long bot = pids(Slot.A).get(0);

        LocalWorkloads reattached = workloads(1);

        assertThat(awaitReadiness(reattached, Slot.A, r -> r instanceof Readiness.Ready)).isEqualTo(new Readiness.Ready(1));
        assertThat(ProcessHandle.of(bot).orElseThrow().parent().map(ProcessHandle::pid)).as("not the dead deployer's child")
                .isNotEqualTo(Optional.of(deployer.pid()));
        reattached.start(Slot.A, "1.0.0", 1);
        assertThat(pids(Slot.A)).containsExactly(bot);
    }

    @Test
    void aBotThatNeverBecomesHealthyStaysProgressing() throws Exception {
        LocalWorkloads workloads = workloads(TestBots.spec(1, Map.of("TEST_BOT_NEVER_READY", "1")));
        workloads.start(Slot.B, "2.0.0", 1);
        awaitLog(Slot.B, "listening on");

        for (int i = 0; i < 3; i++) {
            assertThat(workloads.readiness(Slot.B)).isInstanceOfSatisfying(Readiness.Progressing.class, p -> {
                assertThat(p.ready()).isZero();
                assertThat(p.desired()).isEqualTo(1);
                assertThat(p.why()).as("what the health check said").matches("GET /healthz on port \\d+ answered 503");
            });
            Thread.sleep(300);
        }
        assertThat(workloads.running(Slot.B)).isEqualTo(1);
    }

    @Test
    void aBotThatExitsAtOnceFailsWithItsExitCodeAndLogAndIsReplacedOnTheNextStart() throws Exception {
        LocalWorkloads workloads = workloads(TestBots.spec(1, Map.of("TEST_BOT_EXIT", "1")));
        workloads.start(Slot.B, "2.0.0", 1);
        long firstPid = pids(Slot.B).get(0);

        Readiness failed = awaitReadiness(workloads, Slot.B, r -> r instanceof Readiness.Failed);

        assertThat(((Readiness.Failed) failed).reason())
                .contains("2.0.0 #0", "exited with code 3", "TEST_BOT_EXIT is set")
                .doesNotContain("s3cret-pw");
        assertThat(workloads.running(Slot.B)).isZero();
        assertThat(workloads.replaceDead(Slot.B, "2.0.0")).as("a failed start is reported, not hidden by a replacement")
                .isEmpty();
        assertThat(pids(Slot.B)).containsExactly(firstPid);
        assertThat(workloads.readiness(Slot.B)).isInstanceOf(Readiness.Failed.class);
        workloads.start(Slot.B, "2.0.0", 1);
        assertThat(pids(Slot.B)).hasSize(1).doesNotContain(firstPid);
        assertThat(progress).anyMatch(line -> line.contains("is gone; replacing it"));

        Readiness again = awaitReadiness(workloads, Slot.B, r -> r instanceof Readiness.Failed);
        String report = ((Readiness.Failed) again).reason();
        assertThat(report.split("botshift: starting", -1)).as("only the last start's lines, in the same log: " + report)
                .hasSize(2);
    }

    @Test
    void aLogPastItsLimitIsSetAsideWhenTheNextInstanceStartsAndASmallerOneIsAppendedTo() throws Exception {
        Path logs = Files.createDirectories(stateDir.resolve("bot/workloads/logs"));
        byte[] big = new byte[(int) dev.botshift.os.PrivateFiles.LOG_LIMIT_BYTES + 1];
        java.util.Arrays.fill(big, (byte) 'x');
        Files.write(logs.resolve("a-0.log"), big);
        Files.writeString(logs.resolve("a-1.log"), "an earlier start's line\n");

        workloads(2).start(Slot.A, "1.0.0", 2);
        pids(Slot.A);

        assertThat(logs.resolve("a-0.log.1")).as("set aside whole").hasSize(big.length);
        String fresh = Files.readString(logs.resolve("a-0.log"));
        assertThat(fresh).startsWith("===").contains(LogTail.START_MARK).doesNotContain("xxx");
        assertThat(Files.readString(logs.resolve("a-1.log"))).startsWith("an earlier start's line")
                .contains(LogTail.START_MARK);
        assertThat(logs.resolve("a-1.log.1")).doesNotExist();
    }

    @Test
    void aMissingProgramIsInvalidInputNamingTheFieldAndNothingIsRecorded() {
        WorkloadSpec onPath = new WorkloadSpec("local", 1, List.of("no-such-bot-program-42"), Map.of(), "/healthz",
                Duration.ofSeconds(5), Duration.ofSeconds(1), null);
        WorkloadSpec relative = new WorkloadSpec("local", 1, List.of("./bin/missing-bot.sh"), Map.of(), "/healthz",
                Duration.ofSeconds(5), Duration.ofSeconds(1), null);
        WorkloadSpec empty = new WorkloadSpec("local", 1, List.of(), Map.of(), "/healthz",
                Duration.ofSeconds(5), Duration.ofSeconds(1), null);

        assertThatThrownBy(() -> workloads(onPath).start(Slot.B, "2.0.0", 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("workload.command").hasMessageContaining("no-such-bot-program-42");
        assertThatThrownBy(() -> workloads(relative).start(Slot.B, "2.0.0", 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("workload.command").hasMessageContaining(workDir.toString());
        assertThatThrownBy(() -> workloads(empty).start(Slot.B, "2.0.0", 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("workload.command");
        assertThat(workloads(onPath).readiness(Slot.B)).isEqualTo(new Readiness.Absent());
        workloads(onPath).stop(Slot.B); // inspecting and stopping never need the program
        assertThat(stateDir.resolve("bot")).doesNotExist();
    }

    @Test
    void stopDrainsWithSigtermAndForgetsTheColour() throws Exception {
        LocalWorkloads workloads = workloads(1);
        List<List<URI>> announced = new CopyOnWriteArrayList<>();
        long pid = startReady(workloads, Slot.A, "1.0.0", 1).get(0);
        workloads.onEndpointsChanged((slot, endpoints) -> announced.add(endpoints));

        long started = System.nanoTime();
        workloads.stop(Slot.A);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TestBots.DRAIN);
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(Files.readString(log(Slot.A, 0))).contains("SIGTERM received, draining", "drained");
        assertThat(stateDir.resolve("bot/workloads/a.json")).doesNotExist();
        assertThat(workloads.readiness(Slot.A)).isEqualTo(new Readiness.Absent());
        assertThat(announced).containsExactly(List.of());
        workloads.stop(Slot.A); // idempotent
        assertThat(workloads.running(Slot.A)).isZero();
    }

    @Test
    void aBotIgnoringSigtermIsKilledAfterTheDrainTimeout() throws Exception {
        LocalWorkloads workloads = workloads(TestBots.spec(1, Map.of("TEST_BOT_IGNORE_TERM", "1")));
        long pid = startReady(workloads, Slot.A, "1.0.0", 1).get(0);

        long started = System.nanoTime();
        workloads.stop(Slot.A);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(TestBots.DRAIN);
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(Files.readString(log(Slot.A, 0))).contains("ignoring SIGTERM").doesNotContain("drained");
        assertThat(progress).anyMatch(line -> line.contains("pid " + pid) && line.contains("killing"));
    }

    @Test
    void startingAnotherVersionOnARunningColourIsRefused() throws Exception {
        LocalWorkloads workloads = workloads(1);
        workloads.start(Slot.A, "1.0.0", 1);
        pids(Slot.A);

        assertThatThrownBy(() -> workloads.start(Slot.A, "2.0.0", 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("runs 1.0.0");
    }

    @Test
    void startingWithFewerReplicasDrainsTheExtraOnes() throws Exception {
        LocalWorkloads workloads = workloads(2);
        List<Long> pids = startReady(workloads, Slot.A, "1.0.0", 2);
        List<URI> before = workloads.endpoints(Slot.A);
        List<List<URI>> announced = new CopyOnWriteArrayList<>();
        workloads.onEndpointsChanged((slot, endpoints) -> announced.add(endpoints));

        workloads.start(Slot.A, "1.0.0", 1);

        assertThat(announced).containsExactly(List.of(before.get(0)));
        assertThat(pids(Slot.A)).containsExactly(pids.get(0));
        assertThat(workloads.readiness(Slot.A)).isEqualTo(new Readiness.Ready(1));
        assertThat(ProcessHandle.of(pids.get(1)).filter(ProcessHandle::isAlive)).isEmpty();
    }

    private List<Long> pids(Slot slot) {
        List<Long> pids = RecordedInstances.pids(stateDir, "bot", slot);
        seenPids.addAll(pids);
        return pids;
    }

    /** The pid of slot b's instance at {@code place}. */
    private long pidAt(int place) {
        return RecordedInstances.pidAt(stateDir, "bot", Slot.B, place);
    }

    /** The pid of slot b's instance serving {@code endpoint}. */
    private long pidOn(URI endpoint) {
        return RecordedInstances.pidOn(stateDir, "bot", Slot.B, endpoint);
    }

    private Path log(Slot slot, int index) {
        return stateDir.resolve("bot/workloads/logs/" + slot.label() + "-" + index + ".log");
    }

    /** Starts {@code version} on {@code slot} and waits until it is ready; returns its pids as they were at the start. */
    private List<Long> startReady(LocalWorkloads workloads, Slot slot, String version, int replicas) throws Exception {
        workloads.start(slot, version, replicas);
        List<Long> pids = pids(slot);
        awaitReadiness(workloads, slot, r -> r instanceof Readiness.Ready);
        return pids;
    }

    private static Readiness awaitReadiness(LocalWorkloads workloads, Slot slot, Predicate<Readiness> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Readiness> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            Readiness readiness = workloads.readiness(slot);
            if (wanted.test(readiness)) {
                return readiness;
            }
            seen.add(readiness);
            Thread.sleep(100);
        }
        throw new AssertionError("readiness never matched; last seen " + seen.subList(Math.max(0, seen.size() - 3), seen.size()));
    }

    private void awaitLog(Slot slot, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log(slot, 0)) && Files.readString(log(slot, 0)).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("'" + text + "' never appeared in " + log(slot, 0));
    }

    private static String get(URI endpoint) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(endpoint.resolve("/")).build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
