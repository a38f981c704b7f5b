package dev.botshift.cli;

import com.sun.net.httpserver.HttpServer;
import dev.botshift.core.InvalidInputException;
import dev.botshift.kubernetes.KubernetesClients;
import dev.botshift.os.JdkHttpServer;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanLoader;
import dev.botshift.platform.Platforms;
import dev.botshift.platform.StateOptions;
import dev.botshift.rollout.Pauser;
import dev.botshift.rollout.RolloutState;
import dev.botshift.state.kubernetes.ConfigMapStateStore;
import dev.botshift.supervise.Controller;
import dev.botshift.supervise.ReleaseBundle;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code botshift controller}: drives every rollout of a namespace, as a Deployment with leader election. */
@Command(name = "controller", sortOptions = false,
        description = {"Drive every rollout of a Kubernetes namespace to its end (the controller: run it as a "
                + "Deployment, see manifests/controller/). Replicas elect a leader on a Lease; the leader watches the "
                + "namespace's state ConfigMaps and drives each open rollout, judging green through gates and pauses.",
                "Plans come from the releases 'botshift deploy' stores (ConfigMap <app>-botshift-release); their "
                        + "$${env:...} references are read from this process's environment (the Deployment's"
                        + " Secrets)."})
final class ControllerCommand implements Callable<Integer> {
    @Option(names = "--namespace", required = true, paramLabel = "<ns>", defaultValue = "${env:BOTSHIFT_NAMESPACE}",
            description = "The namespace whose rollouts it drives (env BOTSHIFT_NAMESPACE).")
    String namespace;

    @Option(names = "--identity", paramLabel = "<name>", defaultValue = "${env:POD_NAME}",
            description = "This replica's name in the leader election (default: env POD_NAME, else the host name).")
    String identity;

    @Option(names = "--health-port", paramLabel = "<port>", defaultValue = "8080",
            description = "Serves GET /healthz (the main loop is alive) for the liveness probe (default ${DEFAULT-VALUE}).")
    int healthPort;

    @Option(names = "--lease-duration", paramLabel = "<duration>", defaultValue = "15s",
            converter = StatusCommand.DurationConverter.class,
            description = "How long the leadership lasts without renewal (default ${DEFAULT-VALUE}).")
    Duration leaseDuration;

    @Override
    public Integer call() throws Exception {
        if (namespace == null || namespace.isBlank()) {
            throw new InvalidInputException("--namespace: required (or env BOTSHIFT_NAMESPACE)");
        }
        String me = identity != null && !identity.isBlank() ? identity : dev.botshift.platform.Identity.host();
        StateOptions options = StateOptions.kubernetes(namespace);
        try (KubernetesClient client = KubernetesClients.connect(namespace);
             ConfigMapStateStore store = new ConfigMapStateStore(client, namespace, Clock.systemUTC());
             Controller controller = new Controller(client, store, namespace, me, s -> plan(client, s),
                     (plan, progress) -> Platforms.factory(options, Platforms.schemaMigrator(plan, progress::println),
                             System.getenv())
                             .open(plan, progress),
                     System.getenv(), System.out, Clock.systemUTC(), Pauser.REAL, leaseDuration)) {
            HttpServer health = health(controller);
            // SIGTERM (a rolling update, a node drain): stop the drivers and release the leadership before the JVM
            // exits, so the other replica takes over at once instead of after the lease expired
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                controller.close();
                try {
                    controller.awaitStopped(Duration.ofSeconds(20));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "botshift-controller-stop"));
            try {
                controller.run();
            } finally {
                health.stop(0);
            }
        }
        return 0;
    }

    /** The stored release of the rollout, unpacked into a private folder, read with this process's environment. */
    private Plan plan(KubernetesClient client, RolloutState s) {
        try {
            Path dir = Files.createTempDirectory("botshift-release-" + s.app() + "-");
            Plan plan = PlanLoader.load(ReleaseBundle.unpack(client, namespace, s.app(), dir));
            if (!plan.release().equals(s.release())) {
                throw new InvalidInputException("the stored release of " + s.app() + " is " + plan.release()
                        + ", the open rollout " + s.release() + ": deploy " + s.release() + " again");
            }
            return plan;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot unpack the release of " + s.app(), e);
        }
    }

    private HttpServer health(Controller controller) throws IOException {
        HttpServer server = JdkHttpServer.create(new InetSocketAddress(healthPort), 0);
        server.createContext("/healthz", exchange -> {
            boolean ok = controller.healthy();
            byte[] body = (ok ? "ok\n" : "stuck\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(ok ? 200 : 503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }
}
