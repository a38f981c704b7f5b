package dev.botshift.cli;

import dev.botshift.core.BotshiftException;
import dev.botshift.core.ExitCode;
import dev.botshift.plan.PlanLoader;
import dev.botshift.platform.Platforms;
import dev.botshift.platform.StateOptions;
import dev.botshift.rollout.Pauser;
import dev.botshift.state.StateStore;
import dev.botshift.supervise.Supervisor;
import dev.botshift.supervise.local.SupervisorProcess;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import dev.botshift.rollout.Outcome;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code botshift supervise <app>}: the embedded default's supervisor, started by deploy, resume and the other commands
 * when none runs (not meant to be typed). It drives the app's rollout to its end and then exits; see
 * docs/local-platform.md.
 */
@Command(name = "supervise", hidden = true,
        description = "Drive an app's rollout to its end (the embedded default's supervisor; deploy and resume start "
                + "it, detached, when none runs).")
final class SuperviseCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<app>")
    String app;

    @Mixin
    StateOptions state;

    @Override
    public Integer call() throws Exception {
        // the name is checked before anything is written in its folder (claim, the end record)
        Path appDir = dev.botshift.state.local.FileStateStore.appFolder(state.stateDir(), app);
        PrintStream log = System.out;
        Optional<SupervisorProcess> other = SupervisorProcess.claim(appDir);
        if (other.isPresent()) {
            // started at the same moment as another: that one drives; no end is recorded, nothing ended
            log.println("botshift supervisor (pid " + ProcessHandle.current().pid() + "): the supervisor (pid "
                    + other.get().pid() + ") drives " + app + " already; this one leaves");
            return 0;
        }
        try (StateStore store = Platforms.stateStore(state)) {
            Supervisor supervisor = new Supervisor(store, s -> PlanLoader.load(Path.of(s.planFile())),
                    (plan, progress) -> Platforms.factory(state, Platforms.schemaMigrator(plan, progress::println),
                            System.getenv())
                            .open(plan, progress),
                    System.getenv(), log, Clock.systemUTC(), Pauser.REAL);
            log.println("botshift supervisor (pid " + ProcessHandle.current().pid() + ") drives " + app);
            String how = "nothing left to drive";
            while (true) {
                Optional<Outcome> outcome = supervisor.drive(app);
                if (outcome.isPresent()) {
                    how = app + " " + outcome.get().state().release() + " ended " + outcome.get().state().phase().code();
                    log.println("botshift supervisor: " + how);
                    continue; // a release submitted while this one ended is driven too
                }
                // Unrecorded first, then one last look: a release submitted after it finds no supervisor and starts
                // one; a release submitted before it is seen here and driven.
                SupervisorProcess.forgetSelf(appDir);
                if (supervisor.stored(app).map(st -> st.phase().terminal()).orElse(true)) {
                    break;
                }
                other = SupervisorProcess.claim(appDir);
                if (other.isPresent()) {
                    how = "the supervisor (pid " + other.get().pid() + ") started meanwhile drives " + app;
                    log.println("botshift supervisor: " + how);
                    return 0; // its end, not this one's, is what its followers read
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
        }
    }
}
