package dev.botshift.traffic.router;

import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.handler.GracefulHandler;

import java.net.URI;
import java.util.List;

/**
 * The Botshift router: one Jetty server with two connectors. The proxy connector (all interfaces) takes the bot's
 * webhook traffic and splits it between the colours; the admin connector (loopback only, since it can move traffic)
 * serves the admin API and {@code /metrics}.
 */
public final class RouterServer implements AutoCloseable {
    private static final String PROXY_CONNECTOR = "proxy";
    private static final String ADMIN_CONNECTOR = "admin";
    private static final long STOP_TIMEOUT_MILLIS = 5_000;

    private final RouterConfigSource source;
    private final Server server = new Server();
    private final ServerConnector proxyConnector;
    private final ServerConnector adminConnector;
    private final RouterMetrics metrics = new RouterMetrics();
    private final LiveConfig live;

    /**
     * @param listenPort the webhook port, 0 for a free one
     * @param adminPort  the admin port on 127.0.0.1, 0 for a free one
     */
    public RouterServer(RouterConfigSource source, int listenPort, int adminPort) {
        this.source = source;
        this.live = new LiveConfig(source);

        proxyConnector = new ServerConnector(server);
        proxyConnector.setName(PROXY_CONNECTOR);
        proxyConnector.setPort(listenPort);
        adminConnector = new ServerConnector(server);
        adminConnector.setName(ADMIN_CONNECTOR);
        adminConnector.setHost("127.0.0.1");
        adminConnector.setPort(adminPort);
        server.addConnector(proxyConnector);
        server.addConnector(adminConnector);

        ProxyHandler proxy = new ProxyHandler.Reverse(RoutingHandler::rewrite);
        // GracefulHandler: on stop, Jetty stops accepting and lets in-flight requests finish (up to the stop timeout).
        server.setHandler(new GracefulHandler(new ContextHandlerCollection(
                onConnector(PROXY_CONNECTOR, new RoutingHandler(live::config, metrics, proxy)),
                onConnector(ADMIN_CONNECTOR, new AdminHandler(live, metrics)))));
        server.setStopTimeout(STOP_TIMEOUT_MILLIS);
    }

    /** Jetty's "@name" virtual host matches by connector, so each port only ever sees its own handler. */
    private static ContextHandler onConnector(String connector, org.eclipse.jetty.server.Handler handler) {
        ContextHandler context = new ContextHandler(handler, "/");
        context.setVirtualHosts(List.of("@" + connector));
        return context;
    }

    public RouterServer start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("router could not start: " + e.getMessage(), e);
        }
        return this;
    }

    public int listenPort() {
        return proxyConnector.getLocalPort();
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
