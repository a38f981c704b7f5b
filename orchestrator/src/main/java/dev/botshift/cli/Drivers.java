package dev.botshift.cli;

import dev.botshift.core.InvalidInputException;
import dev.botshift.kubernetes.Names;
import dev.botshift.os.ChildEnvironment;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanEnvironment;
import dev.botshift.plan.WorkloadSpec;
import dev.botshift.platform.Platforms;
import dev.botshift.platform.StateOptions;
import dev.botshift.state.AppLock;
import dev.botshift.state.LockHeldException;
import dev.botshift.state.StateStore;
import dev.botshift.state.kubernetes.ConfigMapStateStore;
import dev.botshift.supervise.Controller;
import dev.botshift.supervise.ReleaseBundle;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import java.time.Clock;
import dev.botshift.supervise.local.SupervisorProcess;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Makes sure something drives an app's rollout once a command has handed it a release or a request: on the embedded
 * default the app's supervisor process (started detached when none runs); on Kubernetes the controller.
 */
final class Drivers {
    /** What any Java program needs to start (the JVM finds itself; Botshift's own settings travel along). */
    private static final java.time.Duration PROBE_TTL = java.time.Duration.ofSeconds(5);
    /** How long a lock held by someone other than the app's supervisor is waited for (a deploy's submit is brief). */
    private static final java.time.Duration HOLDER_PATIENCE = java.time.Duration.ofSeconds(3);

    private Drivers() {
    }

    /**
     * Before a release is submitted on Kubernetes: a controller must be there to drive it (a rollout nobody drives
     * would sit unguarded).
     *
     * @throws InvalidInputException (exit 2) when no replica of the controller holds its leadership
     */
    static void requireController(StateStore store, Clock clock) {
        if (!(store instanceof ConfigMapStateStore k8s)) {
            return;
        }
        String lease = Names.lockLease(Controller.LEADERSHIP);
        boolean led = controllerLeads(k8s, clock);
        if (!led) {
            throw new InvalidInputException("no botshift controller runs in namespace "
                    + k8s.client().getNamespace() + " (Lease " + lease + " has no live holder): a rollout nobody drives "
                    + "would not be guarded; install it with kubectl apply -f manifests/controller/ (docs/kubernetes.md)");
        }
    }

    /** Whether a replica of the controller holds its leadership (renewed within twice the lease's duration). */
    static boolean controllerLeads(ConfigMapStateStore k8s, Clock clock) {
        Lease current = k8s.client().leases().withName(Names.lockLease(Controller.LEADERSHIP)).get();
        LeaseSpec spec = current == null ? null : current.getSpec();
        return spec != null && spec.getHolderIdentity() != null && !spec.getHolderIdentity().isEmpty()
                && spec.getRenewTime() != null && spec.getLeaseDurationSeconds() != null
                && spec.getRenewTime().toInstant().plusSeconds(2L * spec.getLeaseDurationSeconds())
                .isAfter(clock.instant());
    }

    static void ensure(Plan plan, StateOptions options, StateStore store, PrintStream err) {
        if (store instanceof ConfigMapStateStore k8s) {
            // the controller reads the plan and its files from here, hours later if need be
            ReleaseBundle.store(k8s.client(), plan.workload().kubernetes().namespace(), plan);
            return;
        }
        ensure(plan, options, err);
    }

    /** What to do when someone other than the app's supervisor holds its lock. */
    enum Foreign {
        /** say who drives it and go on (a request waits in the inbox for that driver) */
        FOLLOW,
        /** exit 5 naming the holder: {@code resume} cannot make the rollout go on (docs/runbook.md) */
        REFUSE
    }

    static void ensure(Plan plan, StateOptions options, PrintStream err) {
        ensure(plan, options, err, Foreign.FOLLOW);
    }

    static void ensure(Plan plan, StateOptions options, PrintStream err, Foreign foreign) {
        if (WorkloadSpec.KUBERNETES.equals(plan.workload().platform())) {
            return; // the controller watches the state ConfigMaps: docs/kubernetes.md
        }
        Path appDir = options.stateDir().resolve(plan.name());
        long giveUp = System.nanoTime() + HOLDER_PATIENCE.toNanos();
        while (true) {
            if (SupervisorProcess.attach(appDir).isPresent()) {
                return;
            }
            try (StateStore store = Platforms.stateStore(options);
                 AppLock probe = store.lock(plan.name(), "botshift (looking for the rollout's driver)", PROBE_TTL)) {
                break; // free: nobody drives the rollout, so a supervisor is started below
            } catch (LockHeldException held) {
                // a deploy handing in its release holds the lock for a moment; anyone else drives the rollout from
                // elsewhere (or died with the lock on another host): say who, or refuse naming them
                if (System.nanoTime() > giveUp) {
                    if (foreign == Foreign.REFUSE) {
                        throw held;
                    }
                    err.println("botshift: " + plan.name() + " is driven by " + held.holder());
                    return;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        SupervisorProcess started = SupervisorProcess.ensure(options.stateDir(), plan.name(),
                environment(plan, System.getenv()));
        err.println("botshift: the supervisor (pid " + started.pid() + ") drives " + plan.name() + "'s rollout whether"
                + " or not anyone follows, then guards its router and bots until the next rollout or 'botshift down "
                + plan.name() + "'; its log: " + started.log());
        err.flush();
    }

    /**
     * Before a new rollout is written on the embedded default: the supervisor still guarding the app's ended rollout is
     * stopped, so that the new rollout is driven by one started with this command's environment (the plan's variables
     * as they are now: a secret rotated since, a variable the new plan reads) rather than the one it was started
     * with. Called under the app's lock, which a supervisor driving a rollout would hold: one found here only guards.
     */
    static void retireGuard(Plan plan, StateOptions options) {
        if (WorkloadSpec.KUBERNETES.equals(plan.workload().platform())) {
            return;
        }
        SupervisorProcess.attach(options.stateDir().resolve(plan.name())).ifPresent(SupervisorProcess::stop);
    }

    /** The supervisor's whole environment: what any program needs (as for a bot), and the variables the plan reads. */
    static Map<String, String> environment(Plan plan, Map<String, String> parent) {
        Map<String, String> env = new HashMap<>(ChildEnvironment.minimal(parent).variables());
        env.putAll(PlanEnvironment.of(plan, parent));
        return env;
    }
}
