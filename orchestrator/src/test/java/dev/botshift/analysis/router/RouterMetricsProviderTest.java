package dev.botshift.analysis.router;

import dev.botshift.analysis.BotStub;
import dev.botshift.analysis.Counts;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.Observation;
import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.traffic.router.AdminToken;
import dev.botshift.traffic.router.BotshiftRouterClient;
import dev.botshift.traffic.router.FileRouterConfigSource;
import dev.botshift.traffic.router.RouterConfig;
import dev.botshift.traffic.router.RouterServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RouterMetricsProviderTest {
    @TempDir
    Path dir;

    @Test
    void readsRequestsAndServerErrorsFromARealRouter() throws Exception {
        try (BotStub blue = new BotStub(); BotStub green = new BotStub().mode(BotStub.Mode.ERROR);
             RouterServer router = new RouterServer(source(blue, green, new Weights(100, 0)), 0, 0, RouterServer.Guards.local(AdminToken.generate())).start()) {
            RouterMetricsProvider provider = new RouterMetricsProvider(router.client());
            assertThat(provider.observe(new MetricsTarget(Slot.B, "2.0.0"))).isInstanceOf(Observation.NoData.class);

            post(router, 6);
            router.client().setWeights(new Weights(0, 100));
            post(router, 4);

            assertThat(provider.observe(new MetricsTarget(Slot.A, "1.0.0"))).usingRecursiveComparison().ignoringFields("counts.latency")
                .isEqualTo(new Observation.Measured(new Counts(6, 0)));
            assertThat(provider.observe(new MetricsTarget(Slot.B, "2.0.0"))).usingRecursiveComparison().ignoringFields("counts.latency")
                .isEqualTo(new Observation.Measured(new Counts(4, 4)));
            // the router also measured how long each took: the judge's latency rule reads it
            assertThat(((Observation.Measured) provider.observe(new MetricsTarget(Slot.A, "1.0.0"))).counts().latency()
                    .total()).isEqualTo(6);
        }
    }

    @Test
    void aRouterThatDoesNotAnswerIsUnreachableNotNoData() throws IOException {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        RouterMetricsProvider provider = new RouterMetricsProvider(new BotshiftRouterClient(closed, Duration.ofSeconds(1)));
        assertThat(provider.observe(new MetricsTarget(Slot.A, "1.0.0"))).isInstanceOf(Observation.Unreachable.class);
    }

    private FileRouterConfigSource source(BotStub blue, BotStub green, Weights weights) {
        FileRouterConfigSource source = FileRouterConfigSource.open(dir.resolve("router.json"));
        source.store(new RouterConfig(weights, Map.of(Slot.A, List.of(blue.uri()), Slot.B, List.of(green.uri())), null));
        return source;
    }

    static void post(RouterServer router, int n) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < n; i++) {
            http.send(HttpRequest.newBuilder(URI.create(router.listenUri() + "/hook"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding());
        }
    }
}
