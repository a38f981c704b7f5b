package dev.botshift.cli;

import dev.botshift.core.ExitCode;
import dev.botshift.core.InvalidInputException;
import dev.botshift.kubernetes.Names;
import dev.botshift.os.ChildEnvironment;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanEnvironment;
import dev.botshift.plan.WorkloadSpec;
import dev.botshift.platform.Platforms;
import dev.botshift.platform.StateOptions;
import dev.botshift.rollout.RolloutState;
import dev.botshift.state.AppLock;
import dev.botshift.state.LockHeldException;
import dev.botshift.state.StateStore;
import dev.botshift.state.kubernetes.ConfigMapStateStore;
import dev.botshift.state.local.KeptReleases;
import dev.botshift.supervise.ReleaseBundle;
import dev.botshift.supervise.local.SupervisorProcess;
import dev.botshift.supervise.local.SupervisorSpare;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What drives an app's rollouts once a command has handed in a release or a request, so that no rollout sits
 * unguarded: on the embedded default the app's supervisor process (started detached when none runs), on Kubernetes the
 * controller. Which one is told by the store the rollout lives in, here and nowhere else ({@link #of}).
 */
sealed interface Driver permits Driver.Supervisor, Driver.Controller {

    static Driver of(StateStore store, StateOptions options) {
        return store instanceof ConfigMapStateStore k8s ? new Controller(k8s, Clock.systemUTC()) : new Supervisor(options);
    }

    /**
     * Before a release or a resume is handed in: refuses (exit 2) when nothing could drive it. Only the controller can
     * be missing (a supervisor is started when none runs).
     */
    void require();

    /**
     * Before the new rollout {@code fresh} is written, under the app's lock. The supervisor still guarding the app's
     * ended rollout is stopped, so that the new rollout is driven by one started with this command's environment (the
     * plan's variables as they are now: a secret rotated since, a variable the new plan reads) rather than the one it
     * was started with; and the release's files are kept ({@link KeptReleases}), with blue's, for whatever reads the
     * plan later.
     */
    void beforeFresh(Plan plan, RolloutState fresh);

    /** After a release was submitted: hands the driver what it needs and makes sure it runs. */
    void take(Plan plan, PrintStream err);

    /**
     * After a request was handed to the rollout {@code s}: makes sure it is driven, when this process can, and says
     * what to do instead when it cannot.
     */
    void wake(RolloutState s, PrintStream err);

    /** Whether the driver is still there, for a follower: it never waits on one that is gone. */
    DriverWatch watch(String app);

    /** The controller, on Kubernetes: it runs in the cluster and reads the release bundle, never this command's files. */
    record Controller(ConfigMapStateStore store, Clock clock) implements Driver {
        @Override
        public void require() {
            if (!leads()) {
                throw new InvalidInputException("no botshift controller runs in namespace " + namespace() + " (Lease "
                        + Names.lockLease(dev.botshift.supervise.Controller.LEADERSHIP) + " has no live holder): a "
                        + "rollout nobody drives would not be guarded; install it with kubectl apply -f "
                        + "manifests/controller/ (docs/kubernetes.md)");
            }
        }

        @Override
        public void beforeFresh(Plan plan, RolloutState fresh) {
            // the controller's replicas are not the command's to replace; its release bundle is stored by take
        }

        @Override
        public void take(Plan plan, PrintStream err) {
            // the controller reads the plan and its files from here, hours later if need be
            ReleaseBundle.store(store.client(), plan.workload().kubernetes().namespace(), plan);
        }

        @Override
        public void wake(RolloutState s, PrintStream err) {
            if (!leads()) {
                err.println("botshift: no botshift controller holds its leadership in namespace " + namespace()
                        + ": the request waits in the inbox until one leads (docs/runbook.md)");
            }
        }

        @Override
        public DriverWatch watch(String app) {
            return () -> leads() ? Optional.empty()
                    : Optional.of(new DriverWatch.Gone(ExitCode.INTERNAL, "no botshift controller holds its leadership "
                    + "in namespace " + namespace() + " any more: nothing drives " + app + " (docs/runbook.md)"));
        }

        /** Whether a replica of the controller holds its leadership (renewed within twice the lease's duration). */
        boolean leads() {
            Lease current = store.client().leases()
                    .withName(Names.lockLease(dev.botshift.supervise.Controller.LEADERSHIP)).get();
            LeaseSpec spec = current == null ? null : current.getSpec();
            return spec != null && spec.getHolderIdentity() != null && !spec.getHolderIdentity().isEmpty()
                    && spec.getRenewTime() != null && spec.getLeaseDurationSeconds() != null
                    && spec.getRenewTime().toInstant().plusSeconds(2L * spec.getLeaseDurationSeconds())
                    .isAfter(clock.instant());
        }

        private String namespace() {
            return store.client().getNamespace();
        }
    }

    /** The app's supervisor process, on the embedded default: started by the command, with the plan's environment. */
    record Supervisor(StateOptions options) implements Driver {
        /** How long the app's lock is held by the probe that finds nobody driving. */
        private static final Duration PROBE_TTL = Duration.ofSeconds(5);
        /** How long a lock held by someone other than the app's supervisor is waited for (a deploy's submit is brief). */
        private static final Duration HOLDER_PATIENCE = Duration.ofSeconds(3);

        /** What to do when someone other than the app's supervisor holds its lock. */
        enum Foreign {
            /** say who drives it and go on (a request waits in the inbox for that driver) */
            FOLLOW,
            /** exit 5 naming the holder: {@code resume} cannot make the rollout go on (docs/runbook.md) */
            REFUSE
        }

        @Override
        public void require() {
            // a supervisor is started when none runs
        }

        @Override
        public void beforeFresh(Plan plan, RolloutState fresh) {
            if (!WorkloadSpec.KUBERNETES.equals(plan.workload().platform())) {
                // kept first: a release refused here leaves the serving one guarded
                KeptReleases.keep(options.stateDir(), plan,
                        fresh.stableVersion() == null ? Set.of() : Set.of(fresh.stableVersion()));
                SupervisorProcess.attach(appDir(plan.name())).ifPresent(SupervisorProcess::stop);
            }
        }

        @Override
        public void take(Plan plan, PrintStream err) {
            ensure(plan, err, Foreign.FOLLOW);
        }

        /**
         * The plan is read again, with this process's environment; when it cannot be read here, says what to do
         * instead of failing.
         */
        @Override
        public void wake(RolloutState s, PrintStream err) {
            Plan plan;
            try {
                plan = KeptReleases.load(options.stateDir(), s.app(), s.release(), s.planFile(), System.getenv());
            } catch (InvalidInputException e) {
                err.println("botshift: cannot read the plan of " + s.app() + " here to start its supervisor if none "
                        + "runs (" + e.getMessage().lines().findFirst().orElse("") + "); 'botshift resume " + s.app()
                        + "' with the plan's environment starts one");
                return;
            }
            ensure(plan, err, Foreign.FOLLOW);
        }

        @Override
        public DriverWatch watch(String app) {
            Path appDir = appDir(app);
            return () -> {
                // a spare that lives is waiting, or becoming the supervisor of one just killed: keep following
                if (SupervisorProcess.attach(appDir).isPresent() || SupervisorSpare.alive(appDir)) {
                    return Optional.empty();
                }
                Path log = appDir.resolve(SupervisorProcess.LOG);
                return Optional.of(SupervisorProcess.ended(appDir)
                        .filter(e -> e.exitCode() != ExitCode.OK)
                        .map(e -> new DriverWatch.Gone(e.exitCode(), "the supervisor of " + app + " stopped: "
                                + e.message() + " (its log: " + log + ")"))
                        .orElse(new DriverWatch.Gone(ExitCode.INTERNAL, "the supervisor of " + app + " is gone before "
                                + "the rollout ended (killed?); its log: " + log + ". Start a new one: botshift resume "
                                + app)));
            };
        }

        /** Starts the app's supervisor unless one runs, or someone else holds the app's lock ({@code foreign}). */
        void ensure(Plan plan, PrintStream err, Foreign foreign) {
            if (WorkloadSpec.KUBERNETES.equals(plan.workload().platform())) {
                return; // the controller watches the state ConfigMaps: docs/kubernetes.md
            }
            Path appDir = appDir(plan.name());
            long giveUp = System.nanoTime() + HOLDER_PATIENCE.toNanos();
            while (true) {
                if (SupervisorProcess.attach(appDir).isPresent()) {
                    return;
                }
                try (StateStore store = Platforms.stateStore(options);
                     AppLock probe = store.lock(plan.name(), "botshift (looking for the rollout's driver)", PROBE_TTL)) {
                    break; // free: nobody drives the rollout, so a supervisor is started below
                } catch (LockHeldException held) {
                    // a deploy handing in its release holds the lock for a moment; anyone else drives the rollout
                    // from elsewhere (or died with the lock on another host): say who, or refuse naming them
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
            err.println("botshift: the supervisor (pid " + started.pid() + ") drives " + plan.name() + "'s rollout "
                    + "whether or not anyone follows, then guards its router and bots until the next rollout or "
                    + "'botshift down " + plan.name() + "'; its log: " + started.log());
            err.flush();
        }

        /** The supervisor's whole environment: what any program needs (as for a bot), and the variables the plan reads. */
        static Map<String, String> environment(Plan plan, Map<String, String> parent) {
            Map<String, String> env = new HashMap<>(ChildEnvironment.minimal(parent).variables());
            env.putAll(PlanEnvironment.of(plan, parent));
            return env;
        }

        private Path appDir(String app) {
            return options.stateDir().resolve(app);
        }
    }
}
