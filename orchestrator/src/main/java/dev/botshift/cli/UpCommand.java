package dev.botshift.cli;

import dev.botshift.core.DurationText;
import dev.botshift.core.ExitCode;
import dev.botshift.core.Slot;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanDefaults;
import dev.botshift.platform.Reachability;
import dev.botshift.platform.StateOptions;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutState;
import dev.botshift.state.StateStore;
import dev.botshift.state.local.FileStateStore;
import dev.botshift.state.local.KeptReleases;
import dev.botshift.supervise.local.SupervisorProcess;
import dev.botshift.traffic.router.RouterConfig;
import dev.botshift.traffic.router.RouterProcess;
import dev.botshift.workload.local.BotHealth;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code botshift up <app>}: the app's supervisor runs afterwards, and nothing else changes. {@code resume} also
 * makes sure of that, but it carries on a paused or failed rollout, which a reboot must not decide for anyone.
 */
@Command(name = "up", sortOptions = false,
        description = {"Local platform: make sure an app's supervisor runs, as after a reboot, and change nothing else.",
                "When none runs it starts one, detached: it starts the router again on its port and the bots the "
                        + "stored rollout has (the stable release's; green's too while a rollout is under way, with the "
                        + "stored split), and goes on from where the rollout is: a paused rollout stays paused, one at a "
                        + "gate keeps waiting, an ended one is guarded. With a supervisor running, nothing is started. "
                        + "Then it waits (--wait) until the app serves: its router answers and at least one bot of each "
                        + "release with traffic answers its health check, saying what it still waits for every 5 "
                        + "seconds (an app whose first release was rolled back serves nothing: no wait). What a boot "
                        + "unit runs (examples/systemd/); 'botshift resume' also carries on a paused "
                        + "or failed rollout and follows it.",
                "It needs the variables the plan reads (the database's, a bot token), as deploy did."},
        footer = {
                "  0  the app's supervisor runs and the app serves (with --wait 0s: the supervisor runs; after a "
                        + "first release rolled back: it serves none)",
                "  2  invalid input: no such app, the plan as its deploy kept it cannot be read here (a variable "
                        + "missing), the database or the router's port cannot be used, --namespace",
                "  5  another botshift process holds the app's lock and drives it from elsewhere",
                "  6  the app did not serve within --wait; the supervisor runs and goes on starting it ('botshift "
                        + "status' and the logs it names say why)",
                "", "Example: botshift up my-bot --state-dir /var/lib/botshift"})
final class UpCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<app>", description = "The app (the plan's name).")
    String app;

    @Option(names = "--wait", paramLabel = "<duration>", converter = StatusCommand.DurationConverter.class,
            defaultValue = "2m", description = "How long to wait for the app to serve (default ${DEFAULT-VALUE}); "
                    + "then exit code 6. 0s returns once the supervisor runs.")
    Duration wait;

    @Mixin
    StateOptions state;

    /** How often the wait says what it still waits for. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final Duration LOOK = Duration.ofMillis(200);
    /** How long one question to the router may take. */
    private static final Duration LOOK_LIMIT = Duration.ofSeconds(2);

    @Override
    public Integer call() {
        state.requireLocal("up starts", "the controller drives every rollout and Kubernetes keeps the pods running");
        try (StateStore store = Rollouts.store(state, app)) {
            RolloutState s = Rollouts.read(store, app, state);
            Optional<SupervisorProcess> running = SupervisorProcess.attach(
                    FileStateStore.appFolder(state.stateDir(), app));
            if (running.isPresent()) {
                System.err.println("botshift: the supervisor (pid " + running.get().pid() + ") runs for " + app + " "
                        + s.release() + " (" + s.phase().code() + "); nothing to start");
                if (wait.isZero()) {
                    return ExitCode.OK;
                }
            }
            // the plan says what serving is (the bots' health path) and, for a supervisor started here, everything
            Plan plan = KeptReleases.load(state.stateDir(), app, s.release(), s.planFile(), System.getenv());
            if (running.isEmpty()) {
                Reachability.check(plan, state); // refused before anything starts
                new Driver.Supervisor(state).ensure(plan, System.err, Driver.Supervisor.Foreign.REFUSE);
                System.err.println("botshift: " + app + " " + s.release() + " is " + s.phase().code()
                        + "; 'botshift status " + app + "' shows more");
            }
            return awaitServing(store, plan);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.INTERNAL;
        }
    }

    /**
     * Waits until the app serves, as the stored rollout routes it ({@link #waitingFor}), saying every
     * {@link #PROGRESS_EVERY} what it still waits for; {@link ExitCode#TIMED_OUT} after {@code --wait}.
     */
    private int awaitServing(StateStore store, Plan plan) throws InterruptedException {
        if (wait.isZero()) {
            return ExitCode.OK;
        }
        String healthPath = Optional.ofNullable(plan.workload().healthPath()).orElse(PlanDefaults.HEALTH_PATH);
        long start = System.nanoTime();
        long said = start;
        while (true) {
            RolloutState s = Rollouts.read(store, app, state);
            if (s.firstRelease() && s.phase() instanceof Phase.RolledBack) {
                System.err.println("botshift: " + app + " serves no release: its first, " + s.release() + ", was "
                        + "rolled back (the router and the supervisor run, for the next deploy)");
                return ExitCode.OK;
            }
            List<String> missing = waitingFor(s, healthPath);
            long now = System.nanoTime();
            if (missing.isEmpty()) {
                System.err.printf(java.util.Locale.ROOT, "botshift: %s serves (after %.1f s)%n", app,
                        (now - start) / 1e9);
                return ExitCode.OK;
            }
            if (Duration.ofNanos(now - start).compareTo(wait) >= 0) {
                System.err.println("botshift: " + app + " does not serve after " + DurationText.format(wait)
                        + " (waiting for " + String.join("; ", missing) + "); the supervisor goes on starting it: "
                        + "'botshift status " + app + "' and the logs it names say why");
                return ExitCode.TIMED_OUT;
            }
            if (now - said >= PROGRESS_EVERY.toNanos()) {
                System.err.println("botshift: waiting for " + String.join("; ", missing));
                said = now;
            }
            Thread.sleep(LOOK.toMillis());
        }
    }

    /**
     * What keeps the app from serving now, as its router routes it: the router not answering, a first release not
     * given traffic yet, or a colour it gives traffic with no bot answering its health check. Empty: it serves.
     */
    private List<String> waitingFor(RolloutState s, String healthPath) {
        Optional<RouterProcess> router = RouterProcess.attach(state.stateDir().resolve(app).resolve("router"));
        RouterConfig config;
        try {
            config = router.isEmpty() ? null : router.get().client(LOOK_LIMIT).config();
        } catch (RuntimeException e) {
            config = null;
        }
        if (config == null) {
            return List.of("the router to answer");
        }
        List<String> missing = new ArrayList<>();
        boolean routesARelease = false;
        for (Slot slot : Slot.values()) {
            String version = slot == s.candidate() ? s.release() : s.stableVersion();
            if (config.weights().of(slot) == 0 || version == null) {
                continue; // no traffic, or a first release's blue: no release runs there
            }
            routesARelease = true;
            List<URI> bots = config.backendsOf(slot);
            BotHealth.Reading health = BotHealth.of(healthPath, bots);
            if (health.healthy() == 0) {
                missing.add(version + "'s bots to answer " + healthPath + (bots.isEmpty() ? " (the router has none yet)"
                        : " (0 of " + bots.size() + (health.problem() == null ? "" : ": " + health.problem()) + ")"));
            }
        }
        if (!routesARelease) {
            missing.add("the router to give " + s.release() + " traffic (the first release: nothing served before it)");
        }
        return missing;
    }
}
