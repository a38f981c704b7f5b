package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botshift.core.Slot;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutState;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.supervise.local.SupervisorProcess;
import dev.botshift.testing.Timed;
import dev.botshift.traffic.router.BotshiftRouterClient;
import dev.botshift.traffic.router.RouterProcess;
import dev.botshift.traffic.router.RouterSpare;
import dev.botshift.workload.local.RecordedInstances;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 12: a release stays guarded with no terminal attached. Under live chat traffic (checked at the end: nothing
 * lost, nothing stored twice): a spike at an approval gate is rolled back by the supervisor alone; Ctrl-C on a
 * following deploy stops only the following; a dead blue instance leaves the router within 5 s; issue 14: in a
 * detached pause with the supervisor killed, the router alone cuts a failing green and {@code resume} completes the
 * rollback; a router killed mid-shift serves again within 5 s; a supervisor killed mid-shift is replaced by the next
 * {@code resume}, which finishes with each effect once; a supervisor whose session fails guards the router and bots
 * until it can drive again. The measured times are printed ("measured:").
 */
@Timed
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SupervisedRolloutIT extends LiveBaseline {
    private static final String APP = "sentiment-bot";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The rig's analysis.interval. */
    private static final Duration INTERVAL = Duration.ofMillis(500);
    /** The bound, 3 intervals, plus what a loaded 2-core machine adds to reading metrics and saving state. */
    private static final Duration REACTION = INTERVAL.multipliedBy(3).plusSeconds(1);

    @Override
    int baselineReplicas() {
        return 2;
    }

    @Test
    @Order(1)
    void aSpikeAtTheApprovalGateIsRolledBackWithNobodyAttached() throws Exception {
        Path fault = rig.root.resolve("fault-2.0.1");
        PlanFile plan = rig.plan("2.0.1", rig.changelogs.v2()).replicas(2).steps("[50, 100]")
                .approval("before-contract").env("BOT_FAULT_RATE", "0.5").env("BOT_FAULT_FILE", fault.toString());

        rig.deploy(plan, 4, "--detach");
        assertThat(rig.state(APP).orElseThrow().phase()).isInstanceOf(Phase.AwaitingApproval.class);
        Thread.sleep(2000); // no command runs now: only the supervisor watches
        faultRollsBackWithinTheReactionTime(fault, "at the gate", "at the approval gate");
    }

    @Test
    @Order(2)
    void ctrlCStopsFollowingThenADeadBlueInstanceLeavesTheRouterThenWithTheSupervisorKilledTheRouterCutsASpike()
            throws Exception {
        Path fault = rig.root.resolve("fault-2.0.2");
        // a long first step: the pause (a JVM starting) lands while blue still has 90 %
        PlanFile plan = rig.plan("2.0.2", rig.changelogs.v2()).replicas(2).steps("[10, 50, 100]").stepDuration("60s")
                .env("BOT_FAULT_RATE", "0.5").env("BOT_FAULT_FILE", fault.toString());
        long guarding = rig.supervisor(APP).pid(); // the one that drove 2.0.1 guards it now
        Path planFile = rig.write(plan);
        // one plan file edited for each deploy: blue's file now holds 2.0.2, yet blue's dead instance is started again
        // below, from the copy of 1.0.0's files its deploy kept
        Files.copy(planFile, rig.root.resolve("plans").resolve("plan-" + APP + "-1.0.0.yaml"),
                StandardCopyOption.REPLACE_EXISTING);
        Cli.Run deploy = rig.start("deploy", "-f", planFile.toString());
        rig.awaitState(APP, s -> s.release().equals("2.0.2") && s.split().green() == 10, Duration.ofSeconds(120),
                "green at 10 %");
        // the deploy stopped it and started one with its own environment (the new plan's variables)
        assertThat(rig.supervisor(APP).pid()).as("the supervisor driving 2.0.2").isNotEqualTo(guarding);
        assertThat(ProcessHandle.of(guarding).filter(ProcessHandle::isAlive)).as("the one guarding 2.0.1").isEmpty();
        Rig.expect(0, rig.run(Duration.ofSeconds(30), "pause", APP));

        new ProcessBuilder("kill", "-INT", Long.toString(deploy.pid())).start().waitFor();
        Cli.Result followed = deploy.await(Duration.ofSeconds(20));
        assertThat(followed.stderr()).contains("stopped following; the rollout goes on");
        assertThat(rig.supervisor(APP).pid()).as("the supervisor outlives the Ctrl-C").isPositive();
        assertThat(rig.state(APP).orElseThrow().phase()).isInstanceOf(Phase.Paused.class);
        assertThat(rig.state(APP).orElseThrow().split().green()).as("blue still has 90 %%").isEqualTo(10);

        Slot blue = rig.state(APP).orElseThrow().stable();
        List<Long> bluePids = RecordedInstances.pids(rig.stateDir, APP, blue);
        assertThat(bluePids).hasSize(2);
        ProcessHandle.of(bluePids.get(0)).orElseThrow().destroyForcibly();
        Instant killed = Instant.now();
        Thread.sleep(2000); // the guard looks at the instances every 500 ms
        long errorsAt2s = rig.router(APP).stats().of(blue).serverErrors();
        Thread.sleep(2000);
        long errorsAt4s = rig.router(APP).stats().of(blue).serverErrors();
        System.out.println("measured: blue 5xx between 2 s and 4 s after one of its instances was killed: "
                + (errorsAt4s - errorsAt2s));
        assertThat(errorsAt4s).as("no more 502s from 2 s after the kill").isEqualTo(errorsAt2s);
        RolloutState repaired = rig.awaitState(APP, s -> s.history().stream()
                .anyMatch(e -> e instanceof RolloutEvent.DataPlaneRepaired r && r.what().startsWith("blue:")),
                Duration.ofSeconds(10), "the ejection recorded");
        // blue was started from 1.0.0's plan, as its deploy kept it: replaced from it, and the replacement joins the
        // router once it answers
        for (long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
             rig.router(APP).config().backendsOf(blue).size() < 2 && System.nanoTime() < until; Thread.sleep(100)) {
            // waiting
        }
        assertThat(RecordedInstances.pids(rig.stateDir, APP, blue)).as("blue's instances").hasSize(2)
                .contains(bluePids.get(1)).doesNotContain(bluePids.get(0));
        assertThat(rig.router(APP).config().backendsOf(blue)).as("blue's backends in the router").hasSize(2);
        assertThat(repaired.history()).filteredOn(e -> e instanceof RolloutEvent.DataPlaneRepaired)
                .map(e -> ((RolloutEvent.DataPlaneRepaired) e).what()).anyMatch(w -> w.contains("replaced by"));
        assertThat(repaired.phase()).isInstanceOf(Phase.Paused.class);
        System.out.println("measured: the ejection of blue's instance recorded "
                + Duration.between(killed, repaired.history().stream()
                .filter(e -> e instanceof RolloutEvent.DataPlaneRepaired).reduce((a, b) -> b).orElseThrow().at())
                .toMillis() + " ms after the kill");

        theRouterAloneCutsGreenThenResumeRollsBack(fault, repaired.split().green());
    }

    @Test
    @Order(3)
    void aRouterKilledMidShiftServesAgainOnItsPortAndAKilledSupervisorIsReplacedByItsSpare() throws Exception {
        PlanFile plan = rig.plan("2.0.3", rig.changelogs.v2()).replicas(2).steps("[10, 25, 50, 100]")
                .stepDuration("8s");
        Cli.Run deploy = rig.start("deploy", "-f", rig.write(plan).toString());
        rig.awaitState(APP, s -> s.release().equals("2.0.3") && s.split().green() == 25, Duration.ofSeconds(120),
                "green at 25 %");

        long routerPid = RouterProcess.attach(rig.stateDir.resolve(APP).resolve("router")).orElseThrow().pid();
        ProcessHandle.of(routerPid).orElseThrow().destroyForcibly();
        Instant killed = Instant.now();
        Duration outage = awaitServed(Duration.ofSeconds(15)).minus(Duration.between(Instant.EPOCH, killed));
        System.out.println("measured: router killed mid-shift, serving again after " + outage.toMillis() + " ms");
        // Issue 12 asks for 5 s. The guard looks every 100 ms and its warm spare takes over in 0.1-0.2 s (measured 1.3 s
        // to the first answer through router and bot under the test's load); a cold start of the router's JVM took 6-9 s
        // here, so this bound fails when the spare does not take over.
        assertThat(outage).isLessThan(Duration.ofSeconds(5));
        // the replacement answers a moment before its record is rewritten (and a loaded machine can make it miss one
        // health check): look for it for a few seconds
        Optional<RouterProcess> replacement = Optional.empty();
        for (long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
             replacement.isEmpty() && System.nanoTime() < until; Thread.sleep(100)) {
            replacement = RouterProcess.attach(rig.stateDir.resolve(APP).resolve("router"));
        }
        assertThat(replacement).as("the router recorded in its folder").isPresent();
        assertThat(replacement.get().listenPort()).isEqualTo(rig.routerPort);

        rig.awaitState(APP, s -> s.split().green() >= 50, Duration.ofSeconds(60), "the shift going on");
        long spare = rig.spare(APP).orElseThrow(() -> new AssertionError("the supervisor's spare")).pid();
        int eventsAtKill = rig.state(APP).orElseThrow().history().size();
        Instant supervisorKilled = Instant.now();
        long killedSupervisor = rig.killSupervisorOnly(APP);
        Optional<SupervisorProcess> successor = Optional.empty();
        for (long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
             successor.isEmpty() && System.nanoTime() < until; Thread.sleep(20)) {
            successor = SupervisorProcess.attach(rig.stateDir.resolve(APP));
        }
        System.out.println("measured: the supervisor killed mid-shift, its spare recorded as the supervisor "
                + Duration.between(supervisorKilled, Instant.now()).toMillis() + " ms after the kill");
        assertThat(successor).as("a supervisor after the kill").map(SupervisorProcess::pid).hasValue(spare);
        rig.awaitState(APP, s -> s.history().size() > eventsAtKill, Duration.ofSeconds(60),
                "the rollout going on under the spare");
        Rig.expect(0, deploy.await(Duration.ofSeconds(120))); // nobody ran resume: the deploy followed to the end
        assertThat(Files.readString(rig.stateDir.resolve(APP).resolve("supervisor.log")))
                .contains("the supervisor (pid " + killedSupervisor + ") ended without its shutdown");

        RolloutState end = rig.state(APP).orElseThrow();
        assertThat(end.phase()).isInstanceOf(Phase.Succeeded.class);
        List<Integer> steps = end.history().stream().filter(e -> e instanceof RolloutEvent.TrafficShifted)
                .map(e -> ((RolloutEvent.TrafficShifted) e).split().green()).toList();
        assertThat(steps).as("each step once, in order").isSorted().doesNotHaveDuplicates().contains(10, 25, 50, 100);
        assertThat(end.history().stream().filter(e -> e instanceof RolloutEvent.SchemaApplied a
                && a.phase() == SchemaPhase.CONTRACT)).as("the contract applied once").hasSize(1);
        assertThat(rig.stateDir.resolve(APP).resolve(SupervisorProcess.BLOCKED)).as("its record gone once it drove")
                .doesNotExist();
    }

    /**
     * Between rollouts nothing is attached either: the supervisor of the ended rollout (2.0.3, SUCCEEDED) stays and
     * guards the stable release. A router killed then serves again on its port; a stable instance killed is replaced.
     */
    @Test
    @Order(4)
    void afterTheRolloutEndedTheSupervisorStillGuardsRouterAndBots() throws Exception {
        RolloutState ended = rig.state(APP).orElseThrow();
        assertThat(ended.phase()).as("the case before ends SUCCEEDED").isInstanceOf(Phase.Succeeded.class);
        long supervisorPid = rig.supervisor(APP).pid();
        awaitASpare(Duration.ofSeconds(40)); // the keeper starts its spare 10 s after the end (SPARE_DELAY)

        long routerPid = RouterProcess.attach(rig.stateDir.resolve(APP).resolve("router")).orElseThrow().pid();
        ProcessHandle.of(routerPid).orElseThrow().destroyForcibly();
        Instant killed = Instant.now();
        Duration outage = awaitServed(Duration.ofSeconds(15)).minus(Duration.between(Instant.EPOCH, killed));
        System.out.println("measured: router killed after the rollout ended, serving again after " + outage.toMillis()
                + " ms");
        assertThat(outage).isLessThan(Duration.ofSeconds(5));

        Slot stable = ended.candidate();
        List<Long> pids = RecordedInstances.pids(rig.stateDir, APP, stable);
        assertThat(pids).hasSize(2);
        ProcessHandle killedBot = ProcessHandle.of(pids.get(0)).orElseThrow();
        killedBot.destroyForcibly();
        killedBot.onExit().get(10, TimeUnit.SECONDS);
        List<Long> now = pids;
        for (long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
             (now.size() < 2 || now.contains(pids.get(0))) && System.nanoTime() < until; Thread.sleep(100)) {
            now = RecordedInstances.pids(rig.stateDir, APP, stable);
        }
        assertThat(now).as("the stable instances after one was killed").hasSize(2).doesNotContain(pids.get(0));
        // the replacement joins the router once it answers its health check
        for (long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
             rig.router(APP).config().backendsOf(stable).size() < 2 && System.nanoTime() < until; Thread.sleep(100)) {
            // waiting
        }
        assertThat(rig.router(APP).config().backendsOf(stable)).as("%s's backends in the router", stable.label())
                .hasSize(2);
        assertThat(rig.supervisor(APP).pid()).as("the same supervisor guards").isEqualTo(supervisorPid);
        assertThat(rig.state(APP).orElseThrow().history()).as("nothing written to the ended rollout")
                .hasSameSizeAs(ended.history());
    }

    /**
     * A session that fails while the rollout is open (here the app's lock file turned corrupt, a state file unreadable
     * for a moment) no longer ends the supervisor: it tries again every 5 s and meanwhile guards the router and bots,
     * so a router killed then serves again; once the file is removed the rollout goes on to its end, the deploy that
     * followed it exiting 0. Before, the supervisor ended at the first such fault, the deploy with it, and a router
     * killed then stayed dead until someone ran resume.
     */
    @Test
    @Order(5)
    void aSupervisorThatCannotDriveForAMomentGuardsMeanwhileAndThenGoesOn() throws Exception {
        PlanFile plan = rig.plan("2.0.4", rig.changelogs.v2()).replicas(2).steps("[10, 100]").stepDuration("8s");
        Cli.Run deploy = rig.start("deploy", "-f", rig.write(plan).toString());
        rig.awaitState(APP, s -> s.release().equals("2.0.4") && s.split().green() == 10, Duration.ofSeconds(120),
                "green at 10 %");
        long supervisorPid = rig.supervisor(APP).pid();
        Path lock = rig.stateDir.resolve(APP).resolve("lock.json");
        Path log = rig.stateDir.resolve(APP).resolve(SupervisorProcess.LOG);
        String cannotDrive = "cannot drive the rollout of " + APP + ": lock file " + lock + " is corrupt";
        // written until the session fails: a renewal in flight may write the file again
        for (long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
             !Files.readString(log).contains(cannotDrive); Thread.sleep(100)) {
            assertThat(System.nanoTime()).as("the session failing on the corrupt lock file").isLessThan(until);
            Files.writeString(lock, "not a lock");
        }
        for (long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
             !Files.readString(log).contains("guarding the router and bots of " + APP + " until it can drive");
             Thread.sleep(100)) {
            assertThat(System.nanoTime()).as("the supervisor guarding meanwhile").isLessThan(until);
        }

        long routerPid = RouterProcess.attach(rig.stateDir.resolve(APP).resolve("router")).orElseThrow().pid();
        ProcessHandle.of(routerPid).orElseThrow().destroyForcibly();
        Instant killed = Instant.now();
        Duration outage = awaitServed(Duration.ofSeconds(30)).minus(Duration.between(Instant.EPOCH, killed));
        System.out.println("measured: router killed while its supervisor could not drive, serving again after "
                + outage.toMillis() + " ms (started cold)");
        assertThat(Files.readString(log)).contains("guard: the router (pid " + routerPid + ") died: started again "
                + "cold");
        assertThat(rig.state(APP).orElseThrow().split().green()).as("the rollout waits where it was").isEqualTo(10);
        // the history cannot take the cause (its lock is what is corrupt): status shows the supervisor's own record
        Cli.Result status = Rig.expect(0, rig.run(Duration.ofSeconds(30), "status", APP));
        assertThat(status.stderr()).as(status.toString()).contains("cannot drive the rollout: lock file " + lock
                + " is corrupt", "not in the rollout's history");

        Files.delete(lock);
        Instant fixed = Instant.now();
        Rig.expect(0, deploy.await(Duration.ofSeconds(120)));
        System.out.println("measured: the rollout ended SUCCEEDED " + Duration.between(fixed, Instant.now())
                .toMillis() + " ms after the lock file was removed");
        assertThat(rig.supervisor(APP).pid()).as("the same supervisor drove on").isEqualTo(supervisorPid);
        assertThat(Files.readString(log).split(java.util.regex.Pattern.quote(cannotDrive), -1)).as("said once")
                .hasSize(2);
        RolloutState end = rig.state(APP).orElseThrow();
        assertThat(end.phase()).isInstanceOf(Phase.Succeeded.class);
        assertThat(end.history().stream().filter(e -> e instanceof RolloutEvent.SchemaApplied a
                && a.phase() == SchemaPhase.CONTRACT)).as("the contract applied once").hasSize(1);
    }

    /** Waits until a spare router is recorded, alive, and warm (its log says so). */
    private void awaitASpare(Duration timeout) throws Exception {
        Path dir = rig.stateDir.resolve(APP).resolve("router");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith(RouterSpare.RECORD_PREFIX))
                        .toList()) {
                    long pid = JSON.readTree(f.toFile()).path("pid").asLong();
                    if (ProcessHandle.of(pid).isPresent() && Files.readString(dir.resolve(RouterProcess.LOG_FILE))
                            .contains("router standby (pid " + pid + "): warm")) {
                        return;
                    }
                }
            } catch (IOException e) {
                // a record being written: look again
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no warm spare router recorded in " + dir + " within " + timeout);
    }

    /**
     * Issue 14: the router guards green on its own. The supervisor is killed (kill -9) while green serves a step in a
     * pause, then green starts failing: with nothing of Botshift alive but the router, the router cuts green to 0 % by
     * itself; {@code botshift resume} then completes the rollback, for the router's reason. (A live supervisor's
     * reaction to a spike is the gate case above.)
     */
    private void theRouterAloneCutsGreenThenResumeRollsBack(Path fault, int greenShare) throws Exception {
        Slot green = rig.state(APP).orElseThrow().candidate();
        Instant began = Instant.now();
        rig.killSupervisor(APP);
        long routerPid = RouterProcess.attach(rig.stateDir.resolve(APP).resolve("router")).orElseThrow().pid();
        awaitNothingOfBotshiftBut(routerPid, Duration.ofSeconds(10));
        BotshiftRouterClient router = rig.router(APP);
        assertThat(router.config().weights().of(green)).isEqualTo(greenShare);

        Files.createFile(fault);
        Instant onset = Instant.now();
        while (router.config().weights().of(green) > 0) {
            assertThat(Duration.between(onset, Instant.now())).as("the router cutting green on its own")
                    .isLessThan(Duration.ofSeconds(10));
            Thread.sleep(5);
        }
        Duration cut = Duration.between(onset, Instant.now());
        System.out.println("measured: with the supervisor killed, the router cut the failing green to 0 % "
                + cut.toMillis() + " ms after the onset");
        // 50 % errors at 10 % of 120 messages/s cross the guard's threshold after about 20 green answers, under 2 s
        assertThat(cut).isLessThan(Duration.ofSeconds(5));
        Thread.sleep(300); // answers in flight when it cut
        long greenThen = router.stats().of(green).requests();
        long blueThen = router.stats().of(green.other()).requests();
        // meanwhile (a JVM's start): status tells that the router cut green and what completes the rollback
        Cli.Result status = Rig.expect(0, rig.run(Duration.ofSeconds(30), "status", APP));
        assertThat(status.stderr()).contains("no supervisor drives", "the router's guard cut green to 0%",
                "'botshift resume " + APP + "' completes the rollback");
        assertThat(router.stats().of(green).requests()).as("green gets nothing").isEqualTo(greenThen);
        assertThat(router.stats().of(green.other()).requests()).as("blue gets it all").isGreaterThan(blueThen + 50);
        awaitNothingOfBotshiftBut(routerPid, Duration.ZERO);

        Instant resumedAt = Instant.now();
        Cli.Result resumed = Rig.expect(3, rig.run(Duration.ofSeconds(90), "resume", APP));
        System.out.println("measured: the router-guard part: the kill to the cut " + Duration.between(began,
                onset.plus(cut)).toMillis() + " ms, resume to ROLLED_BACK " + Duration.between(resumedAt, Instant.now())
                .toMillis() + " ms, " + Duration.between(began, Instant.now()).toMillis() + " ms in all");
        RolloutState end = rig.state(APP).orElseThrow();
        assertThat(end.phase()).isInstanceOfSatisfying(Phase.RolledBack.class,
                r -> assertThat(r.reason()).contains("the router's guard cut green to 0%"));
        assertThat(end.history()).anyMatch(e -> e instanceof RolloutEvent.GuardTripped)
                .noneMatch(e -> e instanceof RolloutEvent.SplitCorrected);
        assertThat(resumed.stdout() + resumed.stderr()).contains("the router's guard cut green");
        assertThat(router.config().weights().of(green)).isZero();
    }

    /** Only {@code routerPid} of everything started for this rig's state dir (supervisor, spare, CLI) is alive. */
    private void awaitNothingOfBotshiftBut(long routerPid, Duration timeout) throws InterruptedException {
        String dir = rig.stateDir.toString();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ProcessHandle> alive = ProcessHandle.allProcesses().filter(p -> p.pid() != routerPid && p.isAlive()
                    && p.info().commandLine().map(c -> c.contains(dir)).orElse(false)).toList();
            if (alive.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still alive besides the router: " + Leftovers.describe(alive));
            }
            Thread.sleep(50);
        }
    }

    /** A case that failed half-way must not fail the next ones: its open rollout is aborted first. */
    @org.junit.jupiter.api.BeforeEach
    void noOpenRollout() throws Exception {
        RolloutState s = rig.state(APP).orElse(null);
        if (s != null && !s.phase().terminal()) {
            rig.run(Duration.ofSeconds(120), "abort", APP);
        }
    }

    /** When the decision to roll back was taken: the phase change to ROLLING_BACK. */
    /**
     * Starts the fault (the bot reads its file), waits for the supervisor to roll back and checks how soon after the
     * onset it decided to.
     *
     * @param where    where the rollout waits, as the wait names it ("at the gate")
     * @param measured the same, as the measured line names it ("at the approval gate")
     */
    private void faultRollsBackWithinTheReactionTime(Path fault, String where, String measured) throws Exception {
        Files.createFile(fault);
        Instant onset = Instant.now();
        RolloutState end = rig.awaitState(APP, s -> s.phase() instanceof Phase.RolledBack, Duration.ofSeconds(90),
                "the supervisor rolling back " + where);
        Duration reaction = Duration.between(onset, rollingBackAt(end));
        System.out.println("measured: rollback " + measured + " " + reaction.toMillis() + " ms after the onset");
        assertThat(reaction).as("from the onset to the rollback decision").isLessThanOrEqualTo(REACTION);
    }

    private static Instant rollingBackAt(RolloutState s) {
        return s.history().stream()
                .filter(e -> e instanceof RolloutEvent.PhaseChanged p && p.to() instanceof Phase.RollingBack)
                .map(RolloutEvent::at).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no ROLLING_BACK in " + s.history()));
    }

    /** Polls the router's webhook port until it answers at all; answers when, as a duration since the epoch. */
    private Duration awaitServed(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                // 2 s per answer: the request goes through the router to a bot on a loaded machine, and a shorter
                // timeout measured the probe giving up on a router that already served (the chats' updates got through)
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rig.routerPort + "/"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                return Duration.between(Instant.EPOCH, Instant.now());
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the router did not serve again within " + timeout);
    }

}
