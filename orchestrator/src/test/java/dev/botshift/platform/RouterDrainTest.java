package dev.botshift.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.plan.WorkloadSpec;
import dev.botshift.testing.StopSignal;
import dev.botshift.testing.LoopbackHttp;
import dev.botshift.testing.Slow;
import dev.botshift.traffic.router.AdminToken;
import dev.botshift.traffic.router.BotshiftRouterClient;
import dev.botshift.traffic.router.FileRouterConfigSource;
import dev.botshift.traffic.router.RouterConfig;
import dev.botshift.traffic.router.RouterServer;
import dev.botshift.workload.Readiness;
import dev.botshift.workload.local.LocalWorkloads;
import dev.botshift.workload.local.RecordedInstances;
import dev.botshift.workload.local.TestBots;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A colour is drained only once the router's webhooks in flight to it are answered: a real router, a real bot process
 * whose answers take 1.5 s and that breaks off what is under way when it gets SIGTERM (as the JDK's server, Python's
 * default or a killed container do), blue a bot in this JVM. Wired as {@link LocalPlatform} wires it.
 */
@Slow
class RouterDrainTest {
    private static final long ANSWER_AFTER_MS = 1500;
    /** The drain timeout: how long the webhooks under way get. */
    private static final Duration DRAIN = Duration.ofSeconds(10);

    @TempDir
    Path stateDir;
    @TempDir
    Path workDir;
    @TempDir
    Path routerDir;
    private final List<String> progress = new CopyOnWriteArrayList<>();
    private HttpServer blue;
    private RouterServer router;
    private LocalWorkloads workloads;

    @AfterEach
    void stopAll() {
        if (workloads != null) {
            workloads.stop(Slot.B);
        }
        if (router != null) {
            router.close();
        }
        if (blue != null) {
            blue.stop(0);
        }
    }

    @Test
    void aColourTheRouterNoLongerSendsToIsDrainedOnceItsWebhooksInFlightAreAnswered() throws Exception {
        BotshiftRouterClient client = greenHasAllTraffic();
        CompletableFuture<HttpResponse<String>> webhook = sendWebhook();
        awaitInFlight(client, 1);

        client.setWeights(Weights.allTo(Slot.A)); // a rollback's split, before its stop of green
        long from = System.nanoTime();
        workloads.stop(Slot.B);
        long tookMillis = (System.nanoTime() - from) / 1_000_000;

        HttpResponse<String> answered = webhook.get(10, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).as("answered by green before it was drained: %s", answered.body())
                .isEqualTo(200);
        assertThat(answered.body()).startsWith("b 2.0.0");
        assertThat(progress).anySatisfy(line -> assertThat(line).isEqualTo(
                "bot 2.0.0: 1 webhook(s) in flight to it; draining once they are answered (up to 10 s)"));
        assertThat(client.stats().of(Slot.B).inFlight()).isZero();
        assertThat(tookMillis).as("the stop waited for the answer, not for the bound").isLessThan(8_000);
        System.out.println("measured: green drained " + tookMillis + " ms after the stop began, its webhook in"
                + " flight answered " + answered.statusCode());
    }

    /**
     * A colour whose instances are stopped (SIGSTOP: a frozen machine, a debugger) answers nothing until it is
     * killed: its stop does not wait the drain timeout for its webhooks, and the drain kills it at once.
     */
    @Test
    void aFrozenColourIsNotWaitedFor() throws Exception {
        BotshiftRouterClient client = greenHasAllTraffic();
        CompletableFuture<HttpResponse<String>> webhook = sendWebhook();
        awaitInFlight(client, 1);
        StopSignal.stop(RecordedInstances.pids(stateDir, "bot", Slot.B).get(0));

        client.setWeights(Weights.allTo(Slot.A));
        long from = System.nanoTime();
        workloads.stop(Slot.B);
        long tookMillis = (System.nanoTime() - from) / 1_000_000;

        assertThat(tookMillis).as("not the drain timeout's %s", DRAIN).isLessThan(DRAIN.toMillis() / 2);
        assertThat(progress).noneSatisfy(line -> assertThat(line).contains("in flight"));
        assertThat(webhook.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(502);
    }

    /**
     * The premise, and the rule's other half: while the router still sends the colour webhooks (a first release has
     * no other colour), the stop does not wait, and the bot's SIGTERM breaks off the webhook under way.
     */
    @Test
    void aColourThatStillHasTrafficIsDrainedAtOnceAndItsWebhookUnderWayIsBrokenOff() throws Exception {
        BotshiftRouterClient client = greenHasAllTraffic();
        CompletableFuture<HttpResponse<String>> webhook = sendWebhook();
        awaitInFlight(client, 1);

        workloads.stop(Slot.B);

        HttpResponse<String> broken = webhook.get(10, TimeUnit.SECONDS);
        assertThat(broken.statusCode()).as("%s", broken.body()).isEqualTo(502);
        assertThat(progress).noneSatisfy(line -> assertThat(line).contains("in flight"));
    }

    /** Green (slot b, a real process) with all traffic, blue (slot a) in this JVM; the stop wired to wait. */
    private BotshiftRouterClient greenHasAllTraffic() throws Exception {
        blue = LoopbackHttp.bind(2);
        blue.createContext("/", exchange -> {
            byte[] body = "a 1.0.0".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        blue.start();
        WorkloadSpec spec = new WorkloadSpec("local", 1, TestBots.command(),
                Map.of("TEST_BOT_ANSWER_AFTER_MS", Long.toString(ANSWER_AFTER_MS)), "/healthz", Duration.ofSeconds(30),
                DRAIN, null);
        workloads = new LocalWorkloads("bot", stateDir, spec, workDir, Map.of(), progress::add, Clock.systemUTC());
        workloads.start(Slot.B, "2.0.0", 1);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(workloads.readiness(Slot.B) instanceof Readiness.Ready) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(workloads.readiness(Slot.B)).isInstanceOf(Readiness.Ready.class);
        FileRouterConfigSource source = FileRouterConfigSource.open(routerDir.resolve("router.json"),
                Duration.ofMillis(50));
        source.store(new RouterConfig(Weights.allTo(Slot.B),
                Map.of(Slot.A, List.of(LoopbackHttp.uri(blue)), Slot.B, workloads.endpoints(Slot.B)),
                "$.message.chat.id"));
        router = new RouterServer(source, 0, 0, RouterServer.Guards.local(AdminToken.generate())).start();
        BotshiftRouterClient client = router.client();
        workloads.beforeDrain((slot, who, within) -> RouterDrain.awaitAnswered(client, slot, who, within,
                progress::add));
        return client;
    }

    private CompletableFuture<HttpResponse<String>> sendWebhook() {
        return HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create(router.listenUri() + "/webhook"))
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(
                                "{\"update_id\":1,\"message\":{\"chat\":{\"id\":7},\"text\":\"hi\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitInFlight(BotshiftRouterClient client, long n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (client.stats().of(Slot.B).inFlight() != n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(client.stats().of(Slot.B).inFlight()).as("webhooks in flight to green").isEqualTo(n);
    }
}
