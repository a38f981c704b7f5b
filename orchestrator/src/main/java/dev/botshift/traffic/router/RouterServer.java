package dev.botshift.traffic.router;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;

import java.net.URI;
import java.util.List;

/**
 * The Botshift router: two ports. The webhook port ({@link WebhookPort}, all interfaces) takes the bot's webhook
 * traffic, verifies it ({@link WebhookVerifier}) and splits it between the colours; the admin port (a Jetty server,
 * loopback only, since it can move traffic) serves the admin API and {@code /metrics} to whoever {@link AdminAccess}
 * allows. Neither names its software: no {@code Server} header, no version in error pages.
 */
public final class RouterServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RouterServer.class);
    private static final String ADMIN_CONNECTOR = "admin";
    private static final long STOP_TIMEOUT_MILLIS = 5_000;
    /** How long each of the webhook port's event loops has to run a task before the health check calls it stuck. */
    private static final java.time.Duration HEALTH_LOOK = java.time.Duration.ofSeconds(1);

    private final RouterConfigSource source;
    private final Server server = new Server();
    private final WebhookPort webhookPort;
    private final ServerConnector adminConnector;
    private final RouterMetrics metrics = new RouterMetrics();
    private final LiveConfig live;
    private final GuardWatch guardWatch;
    private final Guards guards;
    private final AdminHandler admin;

    /**
     * What guards a router: who may use its admin API, which backends it accepts, how it verifies webhooks.
     *
     * @param admin    the admin API's access rule
     * @param backends the backends it forwards to
     * @param verifier the webhook check ({@link WebhookVerifier.None} for none)
     */
    public record Guards(AdminAccess admin, BackendPolicy backends, WebhookVerifier verifier) {
        /** The embedded default's: the token, bots on 127.0.0.1, no webhook verification. */
        public static Guards local(AdminToken token) {
            return new Guards(new AdminAccess.Token(token), BackendPolicy.LOOPBACK, new WebhookVerifier.None());
        }

        public Guards verifying(WebhookVerifier with) {
            return new Guards(admin, backends, with);
        }
    }

    /**
     * @param listenPort the webhook port, 0 for a free one
     * @param adminPort  the admin port on 127.0.0.1, 0 for a free one
     * @throws dev.botshift.core.InvalidInputException when the source's config has a backend {@code guards} refuse
     */
    public RouterServer(RouterConfigSource source, int listenPort, int adminPort, Guards guards) {
        this.source = source;
        this.live = new LiveConfig(source, guards.backends());
        // storing a cut: on a pool thread, never on the thread that reads the bots' answers
        this.guardWatch = new GuardWatch(live, java.time.Clock.systemUTC(), server.getThreadPool(), trip -> {
            metrics.guardTripped();
            LOG.error("{}; the supervisor completes the rollback", trip.describe());
        });
        this.guards = guards;

        webhookPort = new WebhookPort(live::config, metrics, guards.verifier(), guardWatch, listenPort);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        adminConnector = new ServerConnector(server, new HttpConnectionFactory(http));
        adminConnector.setName(ADMIN_CONNECTOR);
        adminConnector.setHost("127.0.0.1");
        adminConnector.setPort(adminPort);
        server.addConnector(adminConnector);

        metrics.watchGuard(guardWatch);
        admin = new AdminHandler(live, metrics, guardWatch, guards.admin(), () -> webhookPort.stuck(HEALTH_LOOK));
        // GracefulHandler: on stop, Jetty stops accepting and lets in-flight requests finish (up to the stop timeout)
        server.setHandler(new GracefulHandler(admin));
        server.setStopTimeout(STOP_TIMEOUT_MILLIS);
    }

    /**
     * Makes the webhook port listen on 127.0.0.1 only; call before {@link #start()}. A router that polls the Bot API
     * itself (docs/polling.md) takes no webhooks from outside: its only client on that port is its own bridge, and
     * nothing else must be able to inject updates there.
     */
    public RouterServer listenOnLoopbackOnly() {
        webhookPort.host("127.0.0.1");
        return this;
    }

    /**
     * Makes the webhook port bind beside the router that serves it now (which the caller then stops: {@link
     * RouterLaunch#beside}), instead of requiring the port free; call before {@link #start()}.
     *
     * @throws IllegalStateException where the system cannot share a port ({@code SO_REUSEPORT})
     */
    public RouterServer sharePort() {
        webhookPort.sharePort();
        return this;
    }

    /**
     * How long a bot may be silent while answering before the router answers 504 (default
     * {@link dev.botshift.core.AnswerTimeout#DEFAULT}); the webhook port keeps a waiting sender's connection open that long and a
     * little more. Call before {@link #start()}.
     */
    public RouterServer answerTimeout(java.time.Duration timeout) {
        webhookPort.answerTimeout(timeout);
        return this;
    }

    /** How long a bot may be silent while answering before the router answers 504. */
    public java.time.Duration answerTimeout() {
        return webhookPort.answerTimeout();
    }

    /** Serves {@code GET /botshift/polling} on the admin port from {@code status}. */
    public void reportPolling(java.util.function.Supplier<com.fasterxml.jackson.databind.JsonNode> status) {
        admin.reportPolling(status);
    }

    /**
     * One pass through a throwaway router, so a standby router (docs/supervisor.md: the hot spare) has its classes
     * loaded and JIT-warmed before it is needed: its webhook port on a free loopback port of its own, Jetty's
     * in-memory connector for the admin port, and a webhook through verification, the split and the forwarding to a
     * bot of the pass's own ({@link OkBackend}) and back. Nothing of it is kept.
     */
    public static void warmUp() {
        OkBackend backend;
        try {
            backend = OkBackend.start();
        } catch (java.io.IOException e) {
            return; // a warm-up that cannot run costs only speed
        }
        try (backend) {
            warmUp(RouterConfig.initial().withBackends(dev.botshift.core.Slot.A, List.of(backend.uri())));
        }
    }

    /** The pass itself; answers how many of its webhooks a bot answered 200 through the router. */
    static int warmUp(RouterConfig config) {
        RouterServer warm = new RouterServer(new Fixed(config), 0, 0, new Guards(new AdminAccess.ReadOnly("warm-up"),
                BackendPolicy.LOOPBACK, new WebhookVerifier.None()));
        warm.listenOnLoopbackOnly();
        warm.server.removeConnector(warm.adminConnector);
        org.eclipse.jetty.server.LocalConnector admin = new org.eclipse.jetty.server.LocalConnector(warm.server);
        warm.server.addConnector(admin);
        int answered = 0;
        try {
            warm.start();
            String body = "{\"update_id\":1,\"message\":{\"chat\":{\"id\":1},\"text\":\"warm\"}}";
            for (int i = 0; i < 3; i++) {
                answered += webhook(warm.listenPort(), "POST /hook HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length()
                        + "\r\nConnection: close\r\n\r\n" + body).startsWith("HTTP/1.1 200") ? 1 : 0;
                admin.getResponse("GET /botshift/healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
                admin.getResponse("GET /botshift/config HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            }
        } catch (Exception e) {
            // a warm-up that fails costs only speed: the real start reports any real problem
        } finally {
            warm.stopQuietly();
        }
        return answered;
    }

    /** One request on a connection of its own; the whole answer, as text. */
    private static String webhook(int port, String request) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** A config fixed in memory, never stored: the warm-up's (and tests'). */
    record Fixed(RouterConfig current) implements RouterConfigSource {
        @Override
        public void store(RouterConfig config) {
        }

        @Override
        public void onChange(java.util.function.Consumer<RouterConfig> listener) {
        }

        @Override
        public void close() {
        }
    }

    /** @throws dev.botshift.core.InvalidInputException when a port is taken (exit 2: the caller chose it) */
    public RouterServer start() {
        try {
            server.start();
            webhookPort.start();
        } catch (Exception e) {
            stopQuietly();
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.net.BindException) {
                    throw new dev.botshift.core.InvalidInputException("router cannot listen: " + e.getMessage()
                            + ": the port is already in use by another program", e);
                }
            }
            throw new IllegalStateException("router could not start: " + e.getMessage(), e);
        }
        return this;
    }

    private void stopQuietly() {
        webhookPort.stop(java.time.Duration.ofMillis(STOP_TIMEOUT_MILLIS));
        try {
            server.stop();
        } catch (Exception ignored) {
            // it did not start; what did is released as far as Jetty can
        }
        source.close();
    }

    public int listenPort() {
        return webhookPort.localPort();
    }

    public int adminPort() {
        return adminConnector.getLocalPort();
    }

    public URI listenUri() {
        return URI.create("http://127.0.0.1:" + listenPort());
    }

    public URI adminUri() {
        return URI.create("http://127.0.0.1:" + adminPort());
    }

    /** {@code none} or the platform whose webhooks this router verifies. */
    public String verification() {
        if (guards.verifier() instanceof WebhookVerifier.TelegramRegistered r) {
            return r.name() + ", with the secrets registered by 'botshift webhook'" + (r.secrets().registered() ? ""
                    : " (none yet: every webhook is refused until 'botshift webhook set')");
        }
        return guards.verifier().name();
    }

    /** How the admin API is guarded, in words for the router's log (never the token). */
    public String adminMode() {
        return guards.admin() instanceof AdminAccess.Token ? "token required" : "read-only";
    }

    /** A client of this router's admin API, with its token when it has one (tests, in-process use). */
    public BotshiftRouterClient client() {
        return new BotshiftRouterClient(adminUri(), java.time.Duration.ofSeconds(5),
                guards.admin() instanceof AdminAccess.Token t ? java.util.Optional.of(t.token()) : java.util.Optional.empty());
    }

    public RouterConfig config() {
        return live.config();
    }

    public RouterStats stats() {
        return metrics.stats();
    }

    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops accepting, lets in-flight requests finish (at most 5 s), then stops Jetty and the config source. */
    public void stop() {
        try {
            webhookPort.stop(java.time.Duration.ofMillis(STOP_TIMEOUT_MILLIS));
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("router did not stop cleanly: " + e.getMessage(), e);
        } finally {
            source.close();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
