package dev.botshift.supervise;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.UnreachableException;
import dev.botshift.plan.Approval;
import dev.botshift.plan.NotifySpec;
import dev.botshift.plan.Plan;
import dev.botshift.platform.PlatformFactory;
import dev.botshift.platform.RolloutSession;
import dev.botshift.rollout.Outcome;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutStart;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.rollout.Until;
import dev.botshift.state.AppLock;
import dev.botshift.state.LockHeldException;
import dev.botshift.testing.FakePorts;
import dev.botshift.testing.TestPlans;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded default's supervisor keeps driving through a session that fails ({@link Supervisor#driveOn}): before,
 * it ended at the first such fault (the database restarting, a plan unreadable for a moment, a router that could not
 * start) and, with nobody watching, the rollout stayed undriven until someone ran {@code resume}. The real session on
 * in-memory ports; the faults thrown where the plan is read and the platform opened.
 */
class SupervisorDriveOnTest {
    private static final String APP = "bot";
    private static final Duration RETRY = Duration.ofSeconds(5);
    private final FakePorts ports = new FakePorts();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logged, true, StandardCharsets.UTF_8);
    /** What guards the router and bots between tries: counts its opens, closes and what was open at a session's start. */
    private final Keeper keeper = new Keeper();
    /** What the supervisor noted beside the history: each cause as it is said, empty once it drives again. */
    private final List<Optional<RolloutEvent.DriverBlocked>> noted = new java.util.ArrayList<>();

    @BeforeEach
    void v1IsStableAndV2HandedIn() throws Exception {
        new RolloutSession(plan("1.0.0"), ports.factory(), Map.of(), log, ports.clock, ports.pauser(() -> { }))
                .run(RolloutSession.Mode.DEPLOY, null, Until.END);
        RolloutState stable = ports.store.state(APP);
        RolloutStart.Fresh fresh = (RolloutStart.Fresh) RolloutStart.decide(stable, APP, "2.0.0", "/plans/bot.yaml",
                "run-2", ports.clock.instant());
        try (AppLock lock = ports.store.lock(APP, "botshift deploy (test)", Duration.ofSeconds(15))) {
            ports.store.write(APP, RolloutStateCodec.encode(fresh.state()),
                    ports.store.read(APP).orElseThrow().version(), lock);
        }
        logged.reset();
    }

    @Test
    void aSessionThatFailsIsSaidOncePerCauseRecordedAndTriedAgainUntilTheRolloutEnds() throws Exception {
        Deque<RuntimeException> platformFaults = new ArrayDeque<>(List.of(
                new UnreachableException("database localhost:5432/bot cannot be reached (SQLSTATE 08001)", null)));
        Supervisor supervisor = supervisor(unreadableFor(2,
                "kept/2.0.0/plan.yaml: database.url: environment variable DB_URL is not set", null),
                failing(platformFaults));
        var started = ports.clock.instant();

        Optional<Outcome> outcome = supervisor.driveOn(APP, RETRY, keeper, noted::add);

        assertThat(outcome).hasValueSatisfying(o -> assertThat(o).isInstanceOf(Outcome.Succeeded.class));
        assertThat(ports.store.state(APP).release()).isEqualTo("2.0.0");
        assertThat(blocked()).as("one record per cause, in order").extracting(RolloutEvent.DriverBlocked::why)
                .containsExactly("kept/2.0.0/plan.yaml: database.url: environment variable DB_URL is not set",
                        "database localhost:5432/bot cannot be reached (SQLSTATE 08001)");
        assertThat(blocked().get(0).describe()).startsWith("botshift supervisor (pid ")
                .endsWith(" cannot drive the rollout: kept/2.0.0/plan.yaml: database.url: environment variable DB_URL "
                        + "is not set (it tries again until the cause is fixed)");
        String said = logged.toString(StandardCharsets.UTF_8);
        assertThat(said.split("cannot drive the rollout of bot: kept/2.0.0/plan.yaml", -1)).as("said once").hasSize(2);
        assertThat(said).contains(": cannot drive the rollout of bot: database localhost:5432/bot cannot be reached "
                + "(SQLSTATE 08001); trying again every 5 s");
        assertThat(blocked().get(1).at()).as("three tries, 5 s apart")
                .isAfterOrEqualTo(started.plus(RETRY.multipliedBy(2)));
        assertThat(keeper.opened).as("the router and bots guarded between tries").isEqualTo(3);
        assertThat(keeper.closed).as("each closed before the next try").isEqualTo(3);
        assertThat(keeper.openAtATry).as("never two guards at once").isFalse();
        assertThat(said.split("guarding the router and bots of bot until it can drive", -1)).as("said once")
                .hasSize(2);
        List<RolloutEvent> history = ports.store.state(APP).history();
        int last = history.indexOf(blocked().get(1));
        assertThat(history.get(last + 1)).as("its first decision says it drives again")
                .isInstanceOfSatisfying(RolloutEvent.DriverUnblocked.class, u -> {
                    assertThat(u.blockedSince()).isEqualTo(blocked().get(1).at());
                    assertThat(u.describe()).startsWith("botshift supervisor (pid ")
                            .contains(" drives the rollout again (it could not be driven since ");
                });
        assertThat(history).filteredOn(e -> e instanceof RolloutEvent.DriverUnblocked).as("once, after the last")
                .hasSize(1);
        assertThat(noted).as("beside the history: each cause, then nothing once it drives").extracting(
                n -> n.map(RolloutEvent.DriverBlocked::why).orElse("(driving)")).containsExactly(
                "kept/2.0.0/plan.yaml: database.url: environment variable DB_URL is not set",
                "database localhost:5432/bot cannot be reached (SQLSTATE 08001)", "(driving)");
    }

    /**
     * A paused rollout records nothing while it waits: once it can be driven again, its history (what {@code status}
     * and a waiting {@code resume} read) no longer ends in "cannot drive", which before stayed its last word until
     * someone acted on it.
     */
    @Test
    void aRolloutThatRecordsNothingElseIsSeenDrivenAgainAtTheFirstDecision() throws Exception {
        pauseTheRollout();
        Supervisor blockedOnce = supervisor(s -> {
            throw new InvalidInputException("kept/2.0.0/plan.yaml: not found");
        }, ports.factory());
        blockedOnce.blocked(APP, "kept/2.0.0/plan.yaml: not found");

        assertThatThrownBy(() -> crashingAfter(3).drive(APP)).isInstanceOf(FakePorts.Crash.class);

        RolloutState s = ports.store.state(APP);
        assertThat(s.phase()).as("still paused: nothing else recorded").isInstanceOf(Phase.Paused.class);
        assertThat(s.history().get(s.history().size() - 2)).isInstanceOf(RolloutEvent.DriverBlocked.class);
        assertThat(s.history().get(s.history().size() - 1)).isInstanceOf(RolloutEvent.DriverUnblocked.class);
    }

    /**
     * A cause that comes back after each moment of driving is recorded once per {@link Supervisor#RECORDED_AGAIN_AFTER}:
     * a session failing at each try after one decision put "cannot drive" and "drives again" into the history (which
     * has no bound) and to the webhook every 5 s.
     */
    @Test
    void aCauseThatComesBackAfterAMomentOfDrivingIsNotRecordedAgainForTenMinutes() throws Exception {
        pauseTheRollout();
        String cause = "database localhost:5432/bot cannot be reached (SQLSTATE 08001)";
        Supervisor supervisor = supervisor(s -> plan(s.release()), ports.factory());
        Runnable flap = () -> {
            supervisor.blocked(APP, cause);
            assertThatThrownBy(() -> crashingAfter(2).drive(APP)).isInstanceOf(FakePorts.Crash.class);
        };

        flap.run();
        int after = ports.store.state(APP).history().size();
        for (int i = 0; i < 20; i++) {
            flap.run();
        }
        assertThat(ports.store.state(APP).history()).as("nothing recorded again").hasSize(after);
        assertThat(blocked()).hasSize(1);

        ports.clock.advance(Supervisor.RECORDED_AGAIN_AFTER);
        flap.run();
        List<RolloutEvent> history = ports.store.state(APP).history();
        assertThat(blocked()).as("recorded again once its record is 10 minutes old").hasSize(2);
        assertThat(history.get(history.size() - 1)).isInstanceOf(RolloutEvent.DriverUnblocked.class);
        supervisor.blocked(APP, "kept/2.0.0/plan.yaml: not found");
        assertThat(blocked()).as("another cause at once").hasSize(3);
    }

    @Test
    void aKeeperThatCannotGuardEitherIsSaidOnceAndTheTriesGoOn() throws Exception {
        Deque<RuntimeException> faults = new ArrayDeque<>(List.of(
                new UnreachableException("router admin API http://127.0.0.1:7001 unreachable", null),
                new UnreachableException("router admin API http://127.0.0.1:7001 unreachable", null)));
        Supervisor supervisor = supervisor(s -> plan(s.release()), failing(faults));

        assertThat(supervisor.driveOn(APP, RETRY, open -> {
            throw new UnreachableException("router admin API http://127.0.0.1:7001 unreachable", null);
        }, noted::add)).isPresent();
        String said = logged.toString(StandardCharsets.UTF_8);
        assertThat(said.split("cannot guard the router and bots of bot either: router admin API", -1)).hasSize(2);
    }

    /**
     * With nobody watching, the team hears of it: the plan's notification webhook gets each cause once; not the one
     * where the plan itself cannot be read (there is no webhook to read then).
     */
    @Test
    void eachCauseIsPostedToThePlansWebhookWhenThePlanCanBeRead() throws Exception {
        WireMockServer slack = new WireMockServer(options().dynamicPort());
        slack.start();
        try {
            slack.stubFor(post(urlEqualTo("/hooks/team")).willReturn(aResponse().withStatus(200)));
            Map<String, String> env = Map.of("TEAM_WEBHOOK", "http://127.0.0.1:" + slack.port() + "/hooks/team");
            Deque<RuntimeException> platformFaults = new ArrayDeque<>(List.of(
                    new UnreachableException("database localhost:5432/bot cannot be reached (SQLSTATE 08001)", null),
                    new UnreachableException("database localhost:5432/bot cannot be reached (SQLSTATE 08001)", null)));
            Supervisor supervisor = new Supervisor(ports.store,
                    unreadableFor(1, "kept/2.0.0/plan.yaml: not found", new NotifySpec("TEAM_WEBHOOK")),
                    failing(platformFaults), env, log, ports.clock, ports.pauser(() -> { }));

            assertThat(supervisor.driveOn(APP, RETRY, keeper, noted::add)).isPresent();

            List<String> posted = slack.getAllServeEvents().stream().map(e -> e.getRequest().getBodyAsString())
                    .filter(b -> b.contains("cannot drive")).toList();
            assertThat(posted).as("one post, for the cause whose plan could be read").hasSize(1);
            assertThat(posted.get(0)).contains("bot 2.0.0: botshift supervisor (pid ", "cannot drive the rollout: "
                    + "database localhost:5432/bot cannot be reached (SQLSTATE 08001) (it tries again");
            assertThat(slack.getAllServeEvents().stream().map(e -> e.getRequest().getBodyAsString())
                    .filter(b -> b.contains("drives the rollout again")).toList()).as("and that it is over, once")
                    .hasSize(1);
        } finally {
            slack.stop();
        }
    }

    @Test
    void aDefectIsNamedByItsClassAndTriedAgainToo() throws Exception {
        Deque<RuntimeException> faults = new ArrayDeque<>(List.of(new IllegalStateException("no slot for green")));
        Supervisor supervisor = supervisor(s -> plan(s.release()), failing(faults));

        assertThat(supervisor.driveOn(APP, RETRY, keeper, noted::add)).isPresent();
        assertThat(blocked()).extracting(RolloutEvent.DriverBlocked::why)
                .containsExactly("java.lang.IllegalStateException: no slot for green");
    }

    @Test
    void aRolloutForgottenWhileItCannotBeDrivenEndsTheDriving() throws Exception {
        Supervisor supervisor = new Supervisor(ports.store, s -> {
            throw new InvalidInputException("kept/2.0.0/plan.yaml: not found");
        }, ports.factory(), Map.of(), log, ports.clock, d -> {
            ports.clock.advance(d);
            ports.store.forget(APP); // botshift down
        });

        assertThat(supervisor.driveOn(APP, RETRY, keeper, noted::add)).as("nothing left to drive").isEmpty();
    }

    @Test
    void anotherHolderOfTheLockStillEndsIt() throws Exception {
        Supervisor supervisor = supervisor(s -> plan(s.release()), ports.factory());
        try (AppLock other = ports.store.lock(APP, "botshift supervisor (pid 1 on elsewhere)", Duration.ofMinutes(5))) {
            assertThatThrownBy(() -> supervisor.driveOn(APP, RETRY, keeper, noted::add)).isInstanceOf(LockHeldException.class);
        }
        assertThat(blocked()).as("that one drives: nothing to record").isEmpty();
        assertThat(ports.store.state(APP).phase()).isNotInstanceOf(Phase.Succeeded.class);
    }

    /** The handed-in rollout, paused: it records nothing while it waits. */
    private void pauseTheRollout() {
        RolloutState handedIn = ports.store.state(APP);
        try (AppLock lock = ports.store.lock(APP, "botshift pause (test)", Duration.ofSeconds(15))) {
            ports.store.write(APP, RolloutStateCodec.encode(handedIn.withPhase(new Phase.Paused(new Phase.Shifting(1),
                    "paused by test"), ports.clock.instant(), "paused by test")),
                    ports.store.read(APP).orElseThrow().version(), lock);
        }
    }

    /** A supervisor that drives until its {@code waits}-th wait, where its process dies. */
    private Supervisor crashingAfter(int waits) {
        int[] waited = {0};
        return new Supervisor(ports.store, s -> plan(s.release()), ports.factory(), Map.of(), log, ports.clock, d -> {
            ports.clock.advance(d);
            if (++waited[0] == waits) {
                throw new FakePorts.Crash();
            }
        });
    }

    private Supervisor supervisor(Function<RolloutState, Plan> plans, PlatformFactory platforms) {
        return new Supervisor(ports.store, plans, platforms, Map.of(), log, ports.clock, ports.pauser(() -> { }));
    }

    /**
     * The release's plan, unreadable for the first {@code tries} tries (counted by the guard between them: the plan is
     * read again when a cause is recorded, for its webhook), with {@code notify}.
     */
    private Function<RolloutState, Plan> unreadableFor(int tries, String cause, NotifySpec notify) {
        return s -> {
            if (keeper.opened < tries) {
                throw new InvalidInputException(cause);
            }
            Plan p = plan(s.release());
            return new Plan(p.name(), p.release(), p.database(), p.workload(), p.traffic(), p.analysis(), p.bake(),
                    p.approval(), notify, p.source());
        };
    }

    /** The fakes' platform, after the faults are thrown one per open. */
    private PlatformFactory failing(Deque<RuntimeException> faults) {
        PlatformFactory fakes = ports.factory();
        return (plan, progress) -> {
            keeper.openAtATry |= keeper.opened > keeper.closed;
            if (!faults.isEmpty()) {
                throw faults.pop();
            }
            return fakes.open(plan, progress);
        };
    }

    private static final class Keeper implements Function<RolloutState, AutoCloseable> {
        int opened;
        int closed;
        boolean openAtATry;

        @Override
        public AutoCloseable apply(RolloutState open) {
            assertThat(open.phase().terminal()).as("kept only while the rollout is open").isFalse();
            opened++;
            return () -> closed++;
        }
    }

    private static Plan plan(String release) {
        return TestPlans.plan(APP, release, Approval.NONE);
    }

    private List<RolloutEvent.DriverBlocked> blocked() {
        return ports.store.state(APP).history().stream().filter(e -> e instanceof RolloutEvent.DriverBlocked)
                .map(e -> (RolloutEvent.DriverBlocked) e).toList();
    }
}
