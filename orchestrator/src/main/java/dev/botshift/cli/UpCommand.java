package dev.botshift.cli;

import dev.botshift.plan.Plan;
import dev.botshift.platform.Reachability;
import dev.botshift.platform.StateOptions;
import dev.botshift.rollout.RolloutState;
import dev.botshift.state.StateStore;
import dev.botshift.state.local.FileStateStore;
import dev.botshift.state.local.KeptReleases;
import dev.botshift.supervise.local.SupervisorProcess;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
                        + "gate keeps waiting, an ended one is guarded. With a supervisor running, nothing happens. "
                        + "What a boot unit runs (examples/systemd/); 'botshift resume' also carries on a paused or "
                        + "failed rollout and follows it.",
                "It needs the variables the plan reads (the database's, a bot token), as deploy did."},
        footer = {
                "  0  the app's supervisor runs (started now, or it ran already)",
                "  2  invalid input: no such app, the plan as its deploy kept it cannot be read here (a variable "
                        + "missing), the database or the router's port cannot be used, --namespace",
                "  5  another botshift process holds the app's lock and drives it from elsewhere",
                "", "Example: botshift up my-bot --state-dir /var/lib/botshift"})
final class UpCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<app>", description = "The app (the plan's name).")
    String app;

    @Mixin
    StateOptions state;

    @Override
    public Integer call() {
        state.requireLocal("up starts", "the controller drives every rollout and Kubernetes keeps the pods running");
        try (StateStore store = Rollouts.store(state)) {
            RolloutState s = Rollouts.read(store, app, state);
            Optional<SupervisorProcess> running = SupervisorProcess.attach(
                    FileStateStore.appFolder(state.stateDir(), app));
            if (running.isPresent()) {
                System.err.println("botshift: the supervisor (pid " + running.get().pid() + ") runs for " + app + " "
                        + s.release() + " (" + s.phase().code() + "); nothing to do");
                return 0;
            }
            Plan plan = KeptReleases.load(state.stateDir(), app, s.release(), s.planFile(), System.getenv());
            Reachability.check(plan, state); // refused before anything starts
            new Driver.Supervisor(state).ensure(plan, System.err, Driver.Supervisor.Foreign.REFUSE);
            System.err.println("botshift: " + app + " " + s.release() + " is " + s.phase().code()
                    + "; 'botshift status " + app + "' shows more");
            return 0;
        }
    }
}
