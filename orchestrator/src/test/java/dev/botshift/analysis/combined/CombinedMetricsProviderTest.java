package dev.botshift.analysis.combined;

import dev.botshift.analysis.BotStub;
import dev.botshift.analysis.Counts;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.Observation;
import dev.botshift.analysis.router.RouterMetricsProvider;
import dev.botshift.analysis.scrape.BotMetricsProvider;
import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.traffic.router.AdminToken;
import dev.botshift.traffic.router.FileRouterConfigSource;
import dev.botshift.traffic.router.RouterConfig;
import dev.botshift.traffic.router.RouterServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CombinedMetricsProviderTest {
    @TempDir
    Path dir;

    @Test
    void addsOnlyTheErrorsTheBotHidBehindA200ToTheRoutersCount() throws Exception {
        try (BotStub blue = new BotStub(); BotStub green = new BotStub()) {
            FileRouterConfigSource source = FileRouterConfigSource.open(dir.resolve("router.json"));
            Map<Slot, List<URI>> backends = Map.of(Slot.A, List.of(blue.uri()), Slot.B, List.of(green.uri()));
            source.store(new RouterConfig(Weights.allTo(Slot.B), backends, null));
            try (RouterServer router = new RouterServer(source, 0, 0, RouterServer.Guards.local(AdminToken.generate())).start()) {
                green.mode(BotStub.Mode.OK);
                post(router, 10);
                green.mode(BotStub.Mode.HIDDEN_ERROR);
                post(router, 3);
                green.mode(BotStub.Mode.ERROR);
                post(router, 2);
                // the router counts a request as its answer completes, which can be a moment after the client has it
                dev.botshift.kubernetes.testing.Eventually.await(Duration.ofSeconds(5), "15 green requests counted",
                        () -> router.client().stats().of(Slot.B).requests() == 15);

                RouterMetricsProvider fromRouter = new RouterMetricsProvider(router.client());
                BotMetricsProvider fromBots = new BotMetricsProvider(backends::get, Duration.ofSeconds(2));
                CombinedMetricsProvider combined = new CombinedMetricsProvider(fromRouter, fromBots);

                // the router sees 2 errors (the 500s), the bot counts 5 (3 hidden + 2 answered 500): 5, not 7
                assertThat(fromRouter.observe(new MetricsTarget(Slot.B, "2.0.0"))).usingRecursiveComparison().ignoringFields("counts.latency")
                .isEqualTo(new Observation.Measured(new Counts(15, 2)));
                assertThat(combined.observe(new MetricsTarget(Slot.B, "2.0.0"))).usingRecursiveComparison().ignoringFields("counts.latency")
                .isEqualTo(new Observation.Measured(new Counts(15, 5)));
                assertThat(((Observation.Measured) combined.observe(new MetricsTarget(Slot.B, "2.0.0"))).counts().latency())
                        .as("the router's latencies").isEqualTo(((Observation.Measured) fromRouter.observe(
                                new MetricsTarget(Slot.B, "2.0.0"))).counts().latency());
                assertThat(combined.observe(new MetricsTarget(Slot.A, "1.0.0"))).isInstanceOf(Observation.NoData.class);

                blue.close();
                router.client().setWeights(Weights.allTo(Slot.A));
                post(router, 1);
                dev.botshift.kubernetes.testing.Eventually.await(Duration.ofSeconds(5), "blue's 502 counted",
                        () -> router.client().stats().of(Slot.A).requests() == 1);
                // blue's router count now exists (a 502), but its bot is gone: the router's counts with the bots'
                // errors as last read (none yet), marked incomplete: enough to fail, never to pass
                Observation.Measured blueNow = (Observation.Measured) combined.observe(new MetricsTarget(Slot.A, "1.0.0"));
                assertThat(blueNow.counts().requests()).isEqualTo(1);
                assertThat(blueNow.counts().errors()).as("the router's 502").isEqualTo(1);
                assertThat(blueNow.complete()).isFalse();
                assertThat(blueNow.missing()).startsWith("bot metrics: ");

                green.close();
                // green's bot read before and gone now: its 3 errors hidden behind a 200 as last read stay counted, so
                // the counts stay cumulative (never lower than an earlier reading)
                Observation.Measured greenNow = (Observation.Measured) combined.observe(new MetricsTarget(Slot.B, "2.0.0"));
                assertThat(greenNow.counts().requests()).isEqualTo(15);
                assertThat(greenNow.counts().errors()).isEqualTo(5);
                assertThat(greenNow.complete()).isFalse();
            }
        }
    }

    private static void post(RouterServer router, int n) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < n; i++) {
            http.send(HttpRequest.newBuilder(URI.create(router.listenUri() + "/hook"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding());
        }
    }
}
