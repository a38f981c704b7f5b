package dev.botshift.cli;

import dev.botshift.core.BotshiftException;
import dev.botshift.core.AnswerTimeout;
import dev.botshift.core.DurationText;
import dev.botshift.core.ExitCode;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.WebhookPlatform;
import dev.botshift.kubernetes.KubernetesClients;
import dev.botshift.traffic.polling.BridgeSettings;
import dev.botshift.traffic.polling.PollingBridge;
import dev.botshift.traffic.router.AdminAccess;
import dev.botshift.traffic.router.AdminToken;
import dev.botshift.traffic.router.BackendPolicy;
import dev.botshift.traffic.router.FileRouterConfigSource;
import dev.botshift.traffic.router.RouterConfigSource;
import dev.botshift.traffic.router.RouterProcess;
import dev.botshift.traffic.router.RouterServer;
import dev.botshift.traffic.router.RouterSpare;
import dev.botshift.traffic.router.WebhookSecretsFile;
import dev.botshift.traffic.router.WebhookVerifier;
import dev.botshift.traffic.router.kubernetes.ConfigMapRouterConfigSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code botshift router}: runs the Botshift router in the foreground until it is stopped. */
@Command(name = "router",
        mixinStandardHelpOptions = true,
        description = "Runs the Botshift router: a reverse proxy that splits webhook traffic between the blue and green"
                + " backends by weight, keeps each conversation on one colour, and serves an admin API on 127.0.0.1"
                + " (guarded by --admin-token-file; read-only without it, and always with --configmap).")
public final class RouterCommand implements Callable<Integer> {

    @Option(names = "--listen", paramLabel = "<port>", defaultValue = "8080",
            description = "Port for webhook traffic, on all interfaces; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int listenPort;

    @Option(names = "--admin-port", paramLabel = "<port>", defaultValue = "8081",
            description = "Admin API and /metrics port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int adminPort;

    @ArgGroup(exclusive = true, multiplicity = "1")
    ConfigLocation config;

    @Option(names = "--answer-timeout", paramLabel = "<duration>",
            description = "How long a bot may be silent while answering a webhook before the router answers 504 for it"
                    + " (between two reads, like nginx's proxy_read_timeout; 1s..1h, default: 60s). A bot that works"
                    + " longer before answering needs more, or should answer first and work after.")
    String answerTimeout;

    @Option(names = "--admin-token-file", paramLabel = "<file>",
            description = "With --config-file: the admin API's credential, a file only you can read (mode 600);"
                    + " every admin request but the health check must send 'Authorization: Bearer <its content>'."
                    + " Without it the admin API is read-only.")
    Path adminTokenFile;

    @Option(names = "--verify", paramLabel = "<platform>",
            description = "Verify that webhooks come from the chat platform before routing them: telegram, slack or"
                    + " whatsapp. Failures are refused (401/403), counted apart and never forwarded.")
    String verify;

    @Option(names = "--verify-secret-env", paramLabel = "<NAME>",
            description = "With --verify: the environment variable holding the webhook secret (never an argument).")
    String verifySecretEnv;

    @Option(names = "--verify-secret-file", paramLabel = "<file>",
            description = "With --verify telegram, instead of --verify-secret-env: the secrets 'botshift webhook set' and"
                    + " 'rotate' registered (webhook-secrets.json, mode 600); re-read when it changes, so a rotation"
                    + " never refuses an update.")
    Path verifySecretFile;

    @Option(names = "--verify-max-skew", paramLabel = "<duration>",
            description = "With --verify slack: how far a request's timestamp may be from now (default: 5m).")
    String verifyMaxSkew;

    @Option(names = RouterProcess.SHARE_PORT_OPTION,
            description = "Bind the webhook port beside the router serving it now (SO_REUSEPORT; both must be run by"
                    + " the same user), to take over from it without refusing a connection: stop the old one once"
                    + " this one prints 'router listening'. Without it the port must be free. Not with polling.")
    boolean sharePort;

    @Option(names = RouterSpare.STANDBY_OPTION, paramLabel = "<pid>", hidden = true,
            description = "Start as a hot spare of the supervisor <pid>: warm up, bind nothing, and start serving only"
                    + " when a line 'go' arrives on standard input; exit instead when <pid> ends or the input closes.")
    Long standbyFor;

    @CommandLine.Mixin
    PollingOptions polling = new PollingOptions();

    /** Where the config lives: a file (embedded default) or, in a cluster, a ConfigMap the router watches. */
    static final class ConfigLocation {
        @Option(names = "--config-file", paramLabel = "<file>", required = true,
                description = "JSON config (weights, backends, stickyBy); created with all traffic to blue if missing,"
                        + " reloaded when it changes, rewritten by PUT /botshift/config.")
        Path configFile;

        @Option(names = "--configmap", paramLabel = "<namespace>/<name>", required = true,
                description = "In a cluster: key config.json of this ConfigMap, watched through the API (the pod's"
                        + " service account needs get, list, watch and update on it).")
        String configMap;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (standbyFor != null && !Standby.awaitGo(standbyFor)) {
            return ExitCode.OK;
        }
        RouterServer server;
        PollingBridge bridge = null;
        try {
            if (sharePort && polling.enabled()) {
                throw new InvalidInputException(RouterProcess.SHARE_PORT_OPTION + ": a router that polls the Bot API"
                        + " is the bot's one getUpdates consumer; two at once would take each other's updates (stop the"
                        + " old one instead)");
            }
            RouterServer.Guards guards = guards();
            BridgeSettings bridgeSettings = polling.enabled()
                    ? polling.settings(System.getenv(), config.configFile) : null;
            Duration answerWithin = answerTimeout();
            server = new RouterServer(openSource(), listenPort, adminPort, guards).answerTimeout(answerWithin);
            if (sharePort) {
                shareThePort(server);
            }
            if (bridgeSettings != null) {
                server.listenOnLoopbackOnly();
            }
            server.start();
            if (bridgeSettings != null) {
                bridge = polling.start(bridgeSettings, server);
            }
        } catch (BotshiftException e) {
            System.err.println("botshift router: " + e.getMessage());
            return e.exitCode();
        } catch (IllegalStateException e) {
            System.err.println("botshift router: " + e.getMessage());
            return ExitCode.INTERNAL;
        }
        PollingBridge stopFirst = bridge;
        RouterServer stopNext = server;
        // one hook, in order: hooks run concurrently, and the bridge must finish its deliveries before the proxy stops
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (stopFirst != null) {
                stopFirst.close();
            }
            stopNext.stop();
        }, "router-shutdown"));
        // RouterProcess waits for exactly this line to learn the ports: keep its format.
        System.out.println("router listening on " + server.listenPort() + " admin " + server.adminPort());
        System.out.println((bridge == null ? "webhook verification: " + server.verification()
                : "updates: polled from the Bot API (getUpdates), delivered through 127.0.0.1:" + server.listenPort())
                + "; admin API: " + server.adminMode());
        System.out.flush();
        server.join();
        return ExitCode.OK;
    }

    private static void shareThePort(RouterServer server) {
        try {
            server.sharePort();
        } catch (IllegalStateException e) {
            throw new InvalidInputException(RouterProcess.SHARE_PORT_OPTION + ": " + e.getMessage());
        }
    }

    private RouterServer.Guards guards() {
        for (int port : new int[] {listenPort, adminPort}) {
            if (port < 0 || port > 65535) {
                throw new InvalidInputException((port == listenPort ? "--listen" : "--admin-port")
                        + ": must be a port number between 0 and 65535, got " + port);
            }
        }
        WebhookVerifier verifier = new WebhookVerifier.None();
        if (verify != null) {
            if (polling.enabled()) {
                throw new InvalidInputException("--verify and --poll-token-env exclude each other: polled updates come"
                        + " from the Bot API itself, there is no webhook to verify");
            }
            WebhookPlatform platform = WebhookPlatform.of(verify).orElseThrow(() -> new InvalidInputException(
                    "--verify: must be one of " + String.join(", ", WebhookPlatform.labels()) + ", got '" + verify + "'"));
            if (verifySecretFile != null) {
                if (verifySecretEnv != null || platform != WebhookPlatform.TELEGRAM) {
                    throw new InvalidInputException("--verify-secret-file: only with --verify telegram and without"
                            + " --verify-secret-env (Telegram is the platform that takes a secret Botshift chose)");
                }
                return withAdmin(new WebhookVerifier.TelegramRegistered(
                        WebhookSecretsFile.open(verifySecretFile, Clock.systemUTC())));
            }
            if (verifySecretEnv == null) {
                throw new InvalidInputException("--verify needs --verify-secret-env <NAME>: the variable holding the secret");
            }
            Duration skew;
            try {
                skew = verifyMaxSkew == null ? null : DurationText.parse(verifyMaxSkew);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--verify-max-skew: " + e.getMessage());
            }
            verifier = WebhookVerifier.of(platform, verifySecretEnv, System.getenv(), skew, Clock.systemUTC());
        } else if (verifySecretEnv != null || verifyMaxSkew != null || verifySecretFile != null) {
            throw new InvalidInputException("--verify-secret-env, --verify-secret-file and --verify-max-skew need"
                    + " --verify <platform>");
        }
        return withAdmin(verifier);
    }

    private Duration answerTimeout() {
        if (answerTimeout == null) {
            return AnswerTimeout.DEFAULT;
        }
        Duration d;
        try {
            d = DurationText.parse(answerTimeout);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--answer-timeout: " + e.getMessage());
        }
        AnswerTimeout.problem(d).ifPresent(problem -> {
            throw new InvalidInputException("--answer-timeout: " + problem);
        });
        return d;
    }

    private RouterServer.Guards withAdmin(WebhookVerifier verifier) {
        if (config.configMap != null) {
            if (adminTokenFile != null) {
                throw new InvalidInputException("--admin-token-file: the in-cluster router's admin API is read-only"
                        + " (its config comes from the ConfigMap), so it takes no token");
            }
            return new RouterServer.Guards(new AdminAccess.ReadOnly("the config comes from ConfigMap " + config.configMap
                    + "; change it there (botshift does, at every step)"), BackendPolicy.CLUSTER_SERVICE, verifier);
        }
        AdminAccess admin = adminTokenFile == null
                ? new AdminAccess.ReadOnly("the router was started without --admin-token-file; edit "
                        + config.configFile + " instead (it is reloaded within a second)")
                : new AdminAccess.Token(AdminToken.readFrom(adminTokenFile));
        return new RouterServer.Guards(admin, BackendPolicy.LOOPBACK, verifier);
    }

    private RouterConfigSource openSource() {
        if (config.configFile != null) {
            return FileRouterConfigSource.open(config.configFile);
        }
        String[] parts = config.configMap.split("/", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new InvalidInputException("--configmap: expected <namespace>/<name>, got '" + config.configMap + "'");
        }
        KubernetesClient client = KubernetesClients.connect(parts[0]);
        Runtime.getRuntime().addShutdownHook(new Thread(client::close, "router-client-close"));
        return ConfigMapRouterConfigSource.open(client, parts[0], parts[1]);
    }

    /** Lets the router run as its own process before (and besides) the {@code botshift} CLI. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new RouterCommand()).execute(args));
    }
}
