package dev.botshift.cli;

import dev.botshift.core.DurationText;
import dev.botshift.core.InvalidInputException;
import dev.botshift.plan.PlanDefaults;
import dev.botshift.plan.WorkloadSpec;
import dev.botshift.platform.Identity;
import dev.botshift.platform.LocalTeardown;
import dev.botshift.platform.StateOptions;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.state.AppLock;
import dev.botshift.state.StateStore;
import dev.botshift.state.local.FileStateStore;
import dev.botshift.state.local.KeptReleases;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "down", sortOptions = false,
        description = {"Local platform: stop everything that runs for an app and forget its rollout.",
                "Stops its supervisor, its bots (both colours: SIGTERM, then SIGKILL after workload.drainTimeout) and "
                        + "its router, then forgets the stored rollout (and the release files its deploys kept), so "
                        + "the next deploy of the app is a first release. Kept: the logs, the webhook secrets and the database (schema and data).",
                "Refused (exit 2) while a rollout is under way: end it first ('botshift abort <app>' or 'botshift "
                        + "resume <app>'). Nothing of the app running is not an error: down is safe to repeat.",
                "With --namespace (Kubernetes) it refuses: the app's objects there are yours to delete with kubectl."},
        footer = {
                "  0  the app is down (or nothing of it was running)",
                "  2  invalid input: no such app, a rollout under way, --namespace",
                "  5  another botshift process holds the app's lock (a deploy starting)",
                "", "Example: botshift down my-bot --state-dir .botshift"})
final class DownCommand implements Callable<Integer> {
    /** Long enough for both colours' drains and the router's stop; a lock of a live local process never expires early. */
    private static final Duration LOCK_TTL = Duration.ofMinutes(10);

    /** A tear-down without the plan: only the drain time is needed, and it is the default's. */
    private static final WorkloadSpec DEFAULTS = new WorkloadSpec(WorkloadSpec.LOCAL, 1, List.of(), Map.of(), null,
            null, null, null);

    @Parameters(index = "0", paramLabel = "<app>")
    String app;

    @Mixin
    StateOptions state;

    @Override
    public Integer call() {
        state.requireLocal("down stops", "delete the app's Deployments, Services and router with kubectl");
        Path stateDir = state.stateDir();
        Path appDir = FileStateStore.appFolder(stateDir, app);
        if (!Files.isDirectory(appDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException("no app '" + app + "' in " + stateDir
                    + " (check the app name and --state-dir; nothing was stopped)");
        }
        try (FileStateStore store = new FileStateStore(stateDir)) {
            Optional<StateStore.Versioned> read = store.read(app);
            Optional<RolloutState> rollout = read.map(v -> RolloutStateCodec.decode(v.json()));
            rollout.filter(s -> !s.phase().terminal()).ifPresent(DownCommand::refuseUnderWay);
            List<String> notes = new ArrayList<>();
            WorkloadSpec workload = rollout.flatMap(s -> workloadOf(stateDir, s, notes)).orElse(DEFAULTS);
            LocalTeardown.Stopped stopped;
            try (AppLock lock = store.lock(app, "botshift down (" + Identity.who() + ")", LOCK_TTL)) {
                // a deploy may have stored its rollout between the look above and the lock: that one is not ours to end
                if (!store.read(app).map(StateStore.Versioned::version).equals(read.map(StateStore.Versioned::version))) {
                    throw new InvalidInputException("refused: a rollout of " + app + " was started meanwhile "
                            + "('botshift status " + app + "'); nothing was stopped");
                }
                stopped = LocalTeardown.stop(app, workload, stateDir, System.err);
                store.forget(app, lock);
                LocalTeardown.forgetSplit(app, stateDir);
                KeptReleases.forget(stateDir, app);
            }
            notes.forEach(System.err::println);
            System.out.println(summary(stopped, rollout.isPresent()));
            List<String> kept = new ArrayList<>(LocalTeardown.kept(app, stateDir));
            kept.add("the database (schema and data are not touched)");
            System.out.println("Kept: " + String.join("; ", kept) + ".");
            return 0;
        }
    }

    private static void refuseUnderWay(RolloutState s) {
        String end = s.phase().pastPointOfNoReturn() || !s.phase().rollbackable()
                ? "finish it with 'botshift resume " + s.app() + "'"
                : "roll it back with 'botshift abort " + s.app() + "' or finish it with 'botshift resume " + s.app() + "'";
        throw new InvalidInputException("refused: the rollout of " + s.app() + " " + s.release() + " is under way ("
                + s.phase().code() + "); " + end + ", then run 'botshift down " + s.app() + "' again. Nothing was stopped.");
    }

    /** The stored plan's workload section, for its drain time; when it cannot be read here, a note and the default. */
    private static Optional<WorkloadSpec> workloadOf(Path stateDir, RolloutState s, List<String> notes) {
        try {
            return Optional.of(KeptReleases.load(stateDir, s.app(), s.release(), s.planFile(), System.getenv())
                    .workload());
        } catch (InvalidInputException e) {
            notes.add("botshift: the plan of " + s.app() + " (" + s.planFile() + ") cannot be read here ("
                    + e.getMessage().lines().findFirst().orElse("") + "): the bots were given the default drain time, "
                    + DurationText.format(PlanDefaults.DRAIN_TIMEOUT));
            return Optional.empty();
        }
    }

    private String summary(LocalTeardown.Stopped stopped, boolean hadRollout) {
        String forgotten = hadRollout ? "; its rollout is forgotten: the next deploy of " + app + " is a first release"
                : "; no rollout was stored";
        if (stopped.nothing()) {
            return "Nothing of " + app + " was running" + forgotten + ".";
        }
        List<String> parts = new ArrayList<>();
        if (stopped.supervisor()) {
            parts.add("its supervisor");
        }
        if (stopped.instances() > 0) {
            parts.add(stopped.instances() + (stopped.instances() == 1 ? " bot instance" : " bot instances"));
        }
        stopped.routerPort().ifPresent(port -> parts.add("the router (port " + port + ")"));
        String list = parts.size() == 1 ? parts.get(0)
                : String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
        return app + " is down: stopped " + list + forgotten + ".";
    }
}
