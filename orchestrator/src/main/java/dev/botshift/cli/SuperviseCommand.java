package dev.botshift.cli;

import dev.botshift.core.BotshiftException;
import dev.botshift.core.ExitCode;
import dev.botshift.platform.DataPlaneKeeper;
import dev.botshift.platform.Platforms;
import dev.botshift.platform.StateOptions;
import dev.botshift.rollout.Pauser;
import dev.botshift.rollout.RolloutState;
import dev.botshift.state.StateStore;
import dev.botshift.supervise.Supervisor;
import dev.botshift.supervise.local.EndedRolloutGuard;
import dev.botshift.supervise.local.SupervisorProcess;
import dev.botshift.supervise.local.SupervisorSpare;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import dev.botshift.rollout.Outcome;
import dev.botshift.state.local.KeptReleases;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code botshift supervise <app>}: the embedded default's supervisor, started by deploy, resume and the other commands
 * when none runs (not meant to be typed). It drives the app's rollout to its end, then guards the router and bots
 * until a deploy of the next release or {@code botshift down} stops it (a new rollout it finds stored meanwhile, it
 * drives); see docs/local-platform.md.
 */
@Command(name = "supervise", hidden = true,
        description = "Drive an app's rollout to its end, then guard its router and bots until the next rollout or "
                + "'botshift down' (the embedded default's supervisor; deploy and resume start it, detached, when none "
                + "runs).")
final class SuperviseCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<app>")
    String app;

    @Mixin
    StateOptions state;

    @picocli.CommandLine.Option(names = SupervisorSpare.AFTER_OPTION, paramLabel = "<pid>",
            description = "Run by the supervisor's spare when the supervisor <pid> was killed: take over from it.")
    Long after;

    /** The shutdown hook that says the supervisor was stopped by a signal; null until it drives. */
    private Thread stopped;

    @Override
    public Integer call() throws Exception {
        // the name is checked before anything is written in its folder (claim, the end record)
        Path appDir = dev.botshift.state.local.FileStateStore.appFolder(state.stateDir(), app);
        PrintStream log = System.out;
        if (after != null) {
            log.println("botshift supervisor (pid " + ProcessHandle.current().pid() + "): the supervisor (pid " + after
                    + ") ended without its shutdown (killed, or its JVM crashed); its spare takes over " + app);
        }
        Optional<SupervisorProcess> other = SupervisorProcess.claim(appDir);
        if (other.isPresent()) {
            // started at the same moment as another: that one drives; no end is recorded, nothing ended
            log.println("botshift supervisor (pid " + ProcessHandle.current().pid() + "): the supervisor (pid "
                    + other.get().pid() + ") drives " + app + " already; this one leaves");
            return 0;
        }
        try (StateStore store = Platforms.stateStore(state)) {
            Supervisor supervisor = new Supervisor(store,
                    s -> KeptReleases.load(state.stateDir(), s.app(), s.release(), s.planFile(), System.getenv()),
                    (plan, progress) -> Platforms.factory(state, Platforms.schemaMigrator(plan, progress::println),
                            System.getenv())
                            .open(plan, progress),
                    System.getenv(), log, Clock.systemUTC(), Pauser.REAL);
            log.println("botshift supervisor (pid " + ProcessHandle.current().pid() + ") drives " + app
                    + startedBy());
            spare(log);
            sayWhenStopped(log);
            String how = "nothing left to drive";
            while (true) {
                // a session that fails is tried again, the router and bots guarded meanwhile
                Optional<Outcome> outcome = supervisor.driveOn(app, EndedRolloutGuard.RETRY,
                        open -> DataPlaneKeeper.open(open, state, System.getenv(), log),
                        blocked -> SupervisorProcess.recordBlocked(appDir, runId(supervisor), blocked));
                if (outcome.isPresent()) {
                    how = app + " " + outcome.get().state().release() + " ended " + outcome.get().state().phase().code();
                    log.println("botshift supervisor: " + how);
                    continue; // a release submitted while this one ended is driven too
                }
                EndedRolloutGuard guard = new EndedRolloutGuard(app, appDir, () -> supervisor.stored(app),
                        ended -> DataPlaneKeeper.open(ended, state, System.getenv(), log), log);
                if (guard.keep().isPresent()) {
                    continue; // the next rollout was handed in
                }
                // one last look, still recorded: a release stored before it is driven here, one stored after it
                // finds no supervisor and starts its own
                SupervisorProcess.Leaving leaving = SupervisorProcess.leave(appDir,
                        () -> supervisor.stored(app).map(st -> !st.phase().terminal()).orElse(false));
                if (leaving == SupervisorProcess.Leaving.ANOTHER_DRIVES) {
                    log.println("botshift supervisor: the supervisor" + SupervisorProcess.attach(appDir)
                            .map(o -> " (pid " + o.pid() + ")").orElse("") + " started meanwhile drives " + app);
                    return 0; // its end, not this one's, is what its followers read
                }
                if (leaving == SupervisorProcess.Leaving.LEFT) {
                    how = "the rollout of " + app + " was forgotten";
                    break;
                }
            }
            log.println("botshift supervisor: done (" + how + ")");
            SupervisorProcess.recordEnd(appDir, 0, how);
            return 0;
        } catch (BotshiftException e) {
            SupervisorProcess.recordEnd(appDir, e.exitCode(), e.getMessage());
            throw e;
        } catch (Exception | Error e) {
            SupervisorProcess.recordEnd(appDir, ExitCode.INTERNAL, "internal error: " + e);
            throw e;
        } finally {
            SupervisorProcess.forgetSelf(appDir);
            if (stopped != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopped); // it ends on its own: nothing to say
                } catch (IllegalStateException alreadyStopping) {
                    // a signal came first: the hook says so
                }
            }
        }
    }

    /** The run id of the app's stored rollout, or null when it cannot be read. */
    private String runId(Supervisor supervisor) {
        try {
            return supervisor.stored(app).map(RolloutState::runId).orElse(null);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /**
     * Says in the log when this supervisor is stopped by a signal (SIGTERM: a deploy of the next release or
     * {@code botshift down} stopping it, or anyone), which its log otherwise never tells.
     */
    private void sayWhenStopped(PrintStream log) {
        stopped = new Thread(() -> log.println("botshift supervisor (pid " + ProcessHandle.current().pid()
                + "): stopped by a signal (a deploy of the next release, 'botshift down', or anyone's SIGTERM); its "
                + "spare leaves"), "supervisor-stopped");
        Runtime.getRuntime().addShutdownHook(stopped);
    }

    /**
     * Who started this supervisor, for its log: the pid of the command that did, and which botshift command it was
     * (only a name botshift has as a command: no other argument is this log's to keep, and a parent that is not
     * botshift may hold anything there), so a supervisor nobody expected can be traced.
     */
    private String startedBy() {
        if (after != null) {
            return " (its spare, after pid " + after + ")";
        }
        return ProcessHandle.current().parent().map(p -> {
            List<String> args = p.info().arguments().map(List::of).orElse(List.of());
            // java ... dev.botshift.cli.Main <command>, or java ... -jar botshift.jar <command> (the launcher's way)
            int main = args.indexOf(Main.class.getName());
            int jar = args.indexOf("-jar");
            int command = main >= 0 ? main + 1 : jar >= 0 ? jar + 2 : -1;
            boolean named = command > 0 && command < args.size()
                    && Main.commandLine().getSubcommands().containsKey(args.get(command));
            return " (started by pid " + p.pid() + (named ? ": botshift " + args.get(command) : "") + ")";
        }).orElse("");
    }

    /** Starts the spare that takes over if this supervisor is killed ({@link SupervisorSpare}), and says so. */
    private void spare(PrintStream log) {
        try {
            SupervisorSpare.start(state.stateDir(), app).ifPresentOrElse(
                    pid -> log.println("botshift supervisor: its spare (pid " + pid + ") takes over if it is killed"),
                    () -> log.println("botshift supervisor: no spare (no /bin/sh): if it is killed, 'botshift resume "
                            + app + "' starts another"));
        } catch (java.io.IOException e) {
            log.println("botshift supervisor: no spare (" + e.getMessage() + "): if it is killed, 'botshift resume "
                    + app + "' starts another");
        }
    }
}
