package dev.botshift.cli;

import dev.botshift.core.ExitCode;
import dev.botshift.platform.StateOptions;
import dev.botshift.state.StateStore;
import dev.botshift.state.kubernetes.ConfigMapStateStore;
import dev.botshift.supervise.local.SupervisorProcess;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Whether something still drives an app's rollout, so that a follower never waits on a driver that is gone: the
 * app's supervisor process on the embedded default (and how it ended, when it recorded that), the controller's
 * leadership on Kubernetes.
 */
@FunctionalInterface
interface DriverWatch {
    /** Never gone: for tests and followers of a rollout driven in this very process. */
    DriverWatch NONE = Optional::empty;

    /** Empty while a driver runs; otherwise why following ends, and with which exit code. */
    Optional<Gone> gone();

    /** The driver is gone: following ends with {@code exitCode}, saying {@code message}. */
    record Gone(int exitCode, String message) {
    }

    static DriverWatch of(StateStore store, StateOptions options, String app) {
        if (store instanceof ConfigMapStateStore k8s) {
            return () -> Drivers.controllerLeads(k8s, Clock.systemUTC()) ? Optional.empty()
                    : Optional.of(new Gone(ExitCode.INTERNAL, "no botshift controller holds its leadership in namespace "
                    + k8s.client().getNamespace() + " any more: nothing drives " + app + " (docs/runbook.md)"));
        }
        Path appDir = options.stateDir().resolve(app);
        return () -> {
            if (SupervisorProcess.attach(appDir).isPresent()) {
                return Optional.empty();
            }
            Path log = appDir.resolve(SupervisorProcess.LOG);
            return Optional.of(SupervisorProcess.ended(appDir)
                    .filter(e -> e.exitCode() != ExitCode.OK)
                    .map(e -> new Gone(e.exitCode(), "the supervisor of " + app + " stopped: " + e.message()
                            + " (its log: " + log + ")"))
                    .orElse(new Gone(ExitCode.INTERNAL, "the supervisor of " + app + " is gone before the rollout "
                            + "ended (killed?); its log: " + log + ". Start a new one: botshift resume " + app)));
        };
    }
}
