package dev.botshift.traffic.router;

import dev.botshift.core.Slot;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The router's webhook port, on Netty: one event loop per CPU, each reading its clients' webhooks and talking to the
 * bots over connections of its own ({@link BotConnections}), so an update and its answer cross no thread. Jetty's
 * proxy, which it replaces, handed every answer from its client's selector to the server's and back: at the same
 * CPU per request nginx served twice the webhooks (docs/benchmarks.md, part 8).
 */
final class WebhookPort {
    /**
     * Connections the kernel holds for the webhook port until the router accepts them (the kernel caps it at
     * {@code net.core.somaxconn}, 4096 on current kernels). Java's default is 50: a burst of new connections beyond
     * that (a platform opening its connections at once, a balancer refilling its pool, 600 benchmark connections)
     * had its extra attempts dropped, and TCP retries a dropped attempt only after 1 s, then 3 s: deliveries a
     * second late or more (RouterConnectionBurstTest).
     */
    static final int ACCEPT_QUEUE = 1024;
    /**
     * Whether this JVM can bind the webhook port beside a listener of the same user ({@code SO_REUSEPORT}: Linux, the
     * BSDs): a router then listens on its port while the one it replaces still does, and the port never refuses a
     * connection during the change ({@link RouterLaunch#beside}). Where it cannot, a router is replaced by
     * stopping it first.
     */
    static final boolean PORT_SHARING = sharingSupported();
    /** The webhook port's idle timeout beyond the answer timeout: the router's 504 goes out before it closes. */
    private static final Duration CLIENT_IDLE_MARGIN = Duration.ofSeconds(5);

    private final Supplier<RouterConfig> config;
    private final RouterMetrics metrics;
    private final WebhookVerifier verifier;
    private final GuardWatch guard;
    private final Map<Slot, AtomicLong> turns = new EnumMap<>(Slot.class);
    private final Map<EventLoop, BotConnections> bots = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean stopping;
    /** The config's stickyBy, parsed once per text rather than once per request (a regex and a JSON pointer). */
    private volatile StickyField sticky;
    private Duration answerTimeout = dev.botshift.core.AnswerTimeout.DEFAULT;
    private String host; // null: every interface
    /** Bind beside the router serving the port now, to take over from it; otherwise the port must be free. */
    private boolean sharePort;
    private int port;
    private EventLoopGroup loops;
    private Channel listening;
    /** Where bot names are asked: the machine's name servers ({@link MachineNameServers}), or a test's. */
    private DnsServerAddressStreamProvider nameServers = MachineNameServers.ofThisMachine();
    /**
     * Resolves the bots' names (a Kubernetes Service's, on a cluster) without blocking the loop that asks: the JDK's
     * lookup, Netty's default, runs on the event loop, so one slow answer from the cluster's DNS stalled every webhook
     * of that loop's connections and made the health check call the router stuck. Netty's DNS client reads
     * {@code /etc/hosts} and {@code /etc/resolv.conf} (search domains, ndots) and caches answers for their TTL.
     */
    private DnsAddressResolverGroup names;

    WebhookPort(Supplier<RouterConfig> config, RouterMetrics metrics, WebhookVerifier verifier, GuardWatch guard,
                int port) {
        this.config = config;
        this.metrics = metrics;
        this.verifier = verifier;
        this.guard = guard;
        this.port = port;
        for (Slot slot : Slot.values()) {
            turns.put(slot, new AtomicLong());
        }
    }

    /** Before {@link #start()}. */
    void host(String host) {
        this.host = host;
    }

    /** Before {@link #start()}: bind beside the router that serves the port now (it stops once this one listens). */
    void sharePort() {
        if (!PORT_SHARING) {
            throw new IllegalStateException("this system cannot share a port between two listeners (SO_REUSEPORT)");
        }
        this.sharePort = true;
    }

    /** Before {@link #start()}. */
    void answerTimeout(Duration timeout) {
        this.answerTimeout = timeout;
    }

    Duration answerTimeout() {
        return answerTimeout;
    }

    /** Before {@link #start()}: bot names are asked of this name server only (a test's). */
    void nameServer(InetSocketAddress server) {
        this.nameServers = new SingletonDnsServerAddressStreamProvider(server);
    }

    /** Binds the port; a {@link java.net.BindException} when it is taken. */
    void start() throws java.net.BindException {
        loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("botshift-webhook", true), NioIoHandler.newFactory());
        names = new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .datagramChannelType(NioDatagramChannel.class).nameServerProvider(nameServers));
        long idleMillis = answerTimeout.plus(CLIENT_IDLE_MARGIN).toMillis();
        ServerBootstrap bootstrap = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, ACCEPT_QUEUE)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(
                                new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS),
                                new HttpServerCodec(),
                                new HttpObjectAggregator(RoutingHandler.MAX_BODY_BYTES),
                                new RoutingHandler(WebhookPort.this));
                    }
                });
        InetSocketAddress address = host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        if (PORT_SHARING) {
            // every router binds so that its successor can bind beside it; one that was not asked to share must find
            // the port free, as without the option (a second router on a port would take some of its webhooks)
            bootstrap.option(io.netty.channel.socket.nio.NioChannelOption.of(
                    java.net.StandardSocketOptions.SO_REUSEPORT), true);
        }
        Optional<java.io.IOException> taken = PORT_SHARING && !sharePort && port != 0 ? taken(address)
                : Optional.empty();
        io.netty.channel.ChannelFuture bound = taken.isEmpty() ? bootstrap.bind(address).awaitUninterruptibly() : null;
        if (bound == null || !bound.isSuccess()) {
            Throwable cause = bound == null ? taken.get() : bound.cause();
            names.close();
            loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly();
            loops = null; // nothing to stop
            if (cause instanceof java.net.BindException inUse) {
                // the JDK's message names no port ("Address already in use"): the user must learn which one
                java.net.BindException named = new java.net.BindException("webhook port " + address.getPort()
                        + " on " + (host == null ? "every interface" : host) + ": " + inUse.getMessage());
                named.initCause(inUse);
                throw named;
            }
            throw new IllegalStateException("the webhook port could not listen: " + cause, cause);
        }
        listening = bound.channel();
        port = ((InetSocketAddress) listening.localAddress()).getPort();
    }

    /**
     * Why {@code address} cannot be bound, if a listener holds it: a socket without {@code SO_REUSEPORT} fails to bind
     * where any listener is, sharing or not. (Closed at once, just before the webhook port binds.)
     */
    private static Optional<java.io.IOException> taken(InetSocketAddress address) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true); // a connection of an earlier router in TIME_WAIT does not hold the port
            probe.bind(address, 1);
            return Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.of(e);
        }
    }

    private static boolean sharingSupported() {
        try (java.nio.channels.ServerSocketChannel probe = java.nio.channels.ServerSocketChannel.open()) {
            return probe.supportedOptions().contains(java.net.StandardSocketOptions.SO_REUSEPORT);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    int localPort() {
        return port;
    }

    /**
     * Stops accepting, lets the requests in flight be answered (their connections then close) for at most
     * {@code grace}, then closes every connection.
     */
    void stop(Duration grace) {
        if (loops == null) {
            return;
        }
        stopping = true;
        if (listening != null) {
            listening.close().awaitUninterruptibly();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        names.close();
        loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly();
    }

    /**
     * Which event loop ran nothing within {@code timeout}: a loop blocked (a deadlock, a call that waits) leaves every
     * webhook of its connections unanswered while the process and its admin port live. Empty when each ran a task in
     * time, or the port is not serving.
     */
    Optional<String> stuck(Duration timeout) {
        EventLoopGroup group = loops;
        if (group == null || stopping) {
            return Optional.empty();
        }
        List<io.netty.util.concurrent.Future<?>> ran = new ArrayList<>();
        for (io.netty.util.concurrent.EventExecutor loop : group) {
            ran.add(loop.submit(() -> { }));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < ran.size(); i++) {
            long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            if (!ran.get(i).awaitUninterruptibly(left)) {
                return Optional.of("event loop " + (i + 1) + " of " + ran.size() + " of the webhook port ran nothing "
                        + "for " + timeout.toMillis() + " ms: the webhooks of its connections wait");
            }
        }
        return Optional.empty();
    }

    boolean stopping() {
        return stopping;
    }

    RouterConfig config() {
        return config.get();
    }

    RouterMetrics metrics() {
        return metrics;
    }

    WebhookVerifier verifier() {
        return verifier;
    }

    /** The connections to the bots of {@code loop}: created on first use, used by that loop alone. */
    BotConnections bots(EventLoop loop) {
        return bots.computeIfAbsent(loop, l -> new BotConnections(l, answerTimeout, names));
    }

    /** The next of {@code slot}'s backends, in turn. */
    URI backendOf(RouterConfig current, Slot slot) {
        List<URI> backends = current.backendsOf(slot);
        return backends.get((int) Math.floorMod(turns.get(slot).getAndIncrement(), (long) backends.size()));
    }

    StickyField stickyField(String path) {
        if (path == null) {
            return null;
        }
        StickyField parsed = sticky;
        if (parsed == null || !parsed.path().equals(path)) {
            parsed = StickyField.parse(path);
            sticky = parsed;
        }
        return parsed;
    }

    void began() {
        inFlight.incrementAndGet();
    }

    void done() {
        inFlight.decrementAndGet();
    }

    /** A webhook written to one of {@code slot}'s instances, until {@link #answeredBy}: what a stop of it waits for. */
    void sentTo(Slot slot) {
        metrics.sentTo(slot);
    }

    void answeredBy(Slot slot) {
        metrics.answeredBy(slot);
    }

    /**
     * Counts an answer, and lets the guard weigh it as the judge would (a valid update, or a 5xx to anything) under
     * the config the request was routed by.
     */
    void answered(RouterConfig routedBy, Slot slot, int status, long nanos, InvalidUpdate invalid) {
        metrics.record(slot, status, nanos, invalid);
        guard.observe(routedBy, slot, status, invalid == null || status >= 500);
    }
}
