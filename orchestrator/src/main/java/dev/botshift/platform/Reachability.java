package dev.botshift.platform;

import dev.botshift.analysis.MetricsTarget;
import dev.botshift.core.Slot;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.UnreachableException;
import dev.botshift.kubernetes.ApiFailures;
import dev.botshift.kubernetes.KubernetesClients;
import dev.botshift.kubernetes.Names;
import dev.botshift.plan.AnalysisSpec;
import dev.botshift.os.PrivateDirectory;
import dev.botshift.plan.Plan;
import dev.botshift.plan.WorkloadSpec;
import dev.botshift.schema.liquibase.LiquibaseSchemaMigrator;
import dev.botshift.traffic.router.RouterProcess;
import dev.botshift.workload.local.LocalWorkloads;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * A deploy's preflight: everything the rollout will need from outside is probed before the first state document is
 * written, so an unreachable endpoint or a missing local resource is refused (exit 2) with nothing changed.
 */
public final class Reachability {
    private Reachability() {
    }

    /** @throws dev.botshift.core.BotshiftException (exit 2) naming the plan field or the unreachable endpoint */
    public static void check(Plan plan, StateOptions options) {
        if (!"kubernetes".equals(plan.workload().platform())) {
            // first: a state directory another user controls is refused before anything is probed or written
            Path app = options.stateDir().resolve(plan.name());
            PrivateDirectory.checkIfPresent(options.stateDir(), app.resolve("router"));
            PrivateDirectory.checkIfPresent(options.stateDir(), LocalWorkloads.logDir(options.stateDir(), plan.name()));
        }
        new LiquibaseSchemaMigrator(plan.database(), plan.resolve(plan.database().changelog()), line -> { })
                .checkReachable();
        if (WorkloadSpec.KUBERNETES.equals(plan.workload().platform())) {
            kubernetesApi(plan.workload().kubernetes().namespace(), plan.name());
        } else {
            botCommand(plan);
            routerPort(plan, options);
        }
        if (AnalysisSpec.PROMETHEUS.equals(plan.analysis().provider())) {
            // every query once: Prometheus unreachable, or refusing a query it cannot parse, is refused now
            var prometheus = KubernetesPlatform.prometheus(plan); // a bad template: refused here, its field named
            try {
                prometheus.checkQueries(new MetricsTarget(Slot.A, plan.release()));
            } catch (UnreachableException e) {
                throw new UnreachableException(plan.source() + ": analysis.prometheus.url: " + e.getMessage(), e);
            } catch (InvalidInputException e) {
                throw new InvalidInputException(plan.source() + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The Kubernetes API answers (an HTTP error is an answer: the adapters report it), checked with one retry: a
     * command that only reads or requests ({@code status}, {@code pause}...) names an API it cannot reach within about
     * a second, where its store's requests, retried as a rollout's are, took about 13 s to say so. The request reads
     * {@code app}'s state ConfigMap, which every Role that works with the app may read.
     *
     * @throws UnreachableException (exit 2) naming the API's address
     */
    public static void kubernetesApi(String namespace, String app) {
        try (KubernetesClient client = KubernetesClients.probe(namespace)) {
            try {
                client.configMaps().inNamespace(namespace).withName(Names.stateConfigMap(app)).get();
            } catch (KubernetesClientException e) {
                // no answer at all; an HTTP error (403...) is for the adapters to report
                if (ApiFailures.unanswered(e)) {
                    throw new UnreachableException("Kubernetes API " + client.getMasterUrl() + " cannot be reached", null);
                }
            }
        }
    }

    private static void botCommand(Plan plan) {
        List<String> command = plan.workload().command();
        String exe = command.get(0);
        if (!executable(exe, plan)) {
            throw new InvalidInputException(plan.source() + ": workload.command[0]: no such executable '" + exe
                    + "' (not on PATH, not relative to the plan file)");
        }
        int jar = command.indexOf("-jar");
        if (jar >= 0 && jar + 1 < command.size() && !isFile(plan, command.get(jar + 1))) {
            throw new InvalidInputException(plan.source() + ": workload.command[" + (jar + 1) + "]: no such file: "
                    + plan.resolveInHome(command.get(jar + 1)));
        }
    }

    private static boolean isFile(Plan plan, String path) {
        try {
            return Files.isRegularFile(plan.resolveInHome(path));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static boolean executable(String exe, Plan plan) {
        try {
            return onPathOrRelative(exe, plan);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static boolean onPathOrRelative(String exe, Plan plan) {
        if (exe.contains("/") || exe.contains(File.separator)) {
            return Files.isExecutable(plan.resolveInHome(exe));
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return true;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, exe))) {
                return true;
            }
        }
        return false;
    }

    private static void routerPort(Plan plan, StateOptions options) {
        routerPort(plan, options.stateDir());
    }

    /** A router already running for the app keeps its port; otherwise the plan's port must be free. */
    static void routerPort(Plan plan, Path stateDir) {
        int port = plan.traffic().listenPort();
        Path dir = stateDir.resolve(plan.name()).resolve("router");
        if (port == 0 || RouterProcess.attach(dir).isPresent()) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new InvalidInputException(plan.source() + ": traffic.listenPort: port " + port
                    + " is already in use by another program");
        }
    }
}
