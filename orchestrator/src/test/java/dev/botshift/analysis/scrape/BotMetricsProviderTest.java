package dev.botshift.analysis.scrape;

import dev.botshift.analysis.BotStub;
import dev.botshift.analysis.Counts;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.Observation;
import dev.botshift.core.Slot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BotMetricsProviderTest {
    private final List<BotStub> bots = new ArrayList<>();
    private final Map<Slot, List<URI>> instances = new EnumMap<>(Map.of(Slot.A, List.of(), Slot.B, List.of()));
    private final BotMetricsProvider provider = new BotMetricsProvider(instances::get, Duration.ofSeconds(2));

    @AfterEach
    void stop() {
        bots.forEach(BotStub::close);
    }

    private BotStub bot() {
        BotStub bot = new BotStub();
        bots.add(bot);
        return bot;
    }

    @Test
    void sumsRequestsAndAllHandlerErrorsAcrossInstances() {
        BotStub a = bot();
        BotStub b = bot();
        a.handle(10);
        a.mode(BotStub.Mode.HIDDEN_ERROR).handle(2);
        b.handle(5);
        b.mode(BotStub.Mode.ERROR).handle(3);
        instances.put(Slot.B, List.of(a.uri(), b.uri()));

        assertThat(provider.observe(new MetricsTarget(Slot.B, "2.0.0"))).isEqualTo(new Observation.Measured(new Counts(20, 5)));
        assertThat(provider.read(new MetricsTarget(Slot.B, "2.0.0"))).isEqualTo(new BotReading.Counted(new BotCounters(20, 5, 2)));
    }

    @Test
    void noInstanceOrNoSeriesIsNoData() {
        assertThat(provider.observe(new MetricsTarget(Slot.A, "1.0.0"))).isInstanceOf(Observation.NoData.class);

        BotStub silent = bot().metricsText("# HELP jvm_threads Threads\n# TYPE jvm_threads gauge\njvm_threads 12\n");
        instances.put(Slot.A, List.of(silent.uri()));
        assertThat(provider.observe(new MetricsTarget(Slot.A, "1.0.0"))).isInstanceOf(Observation.NoData.class);
    }

    @Test
    void allInstancesUnreachableIsUnreachableButOneOfTwoIsNot() throws IOException {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        instances.put(Slot.B, List.of(closed));
        assertThat(provider.observe(new MetricsTarget(Slot.B, "2.0.0"))).isInstanceOf(Observation.Unreachable.class);

        BotStub up = bot();
        up.handle(4);
        instances.put(Slot.B, List.of(closed, up.uri()));
        assertThat(provider.observe(new MetricsTarget(Slot.B, "2.0.0"))).isEqualTo(new Observation.Measured(new Counts(4, 0)));
    }

    @Test
    void theSumNeverDropsWhenAnInstanceVanishesOrRestarts() {
        BotStub a = bot();
        BotStub b = bot();
        a.handle(10);
        b.handle(7);
        instances.put(Slot.A, List.of(a.uri(), b.uri()));
        assertThat(provider.observe(new MetricsTarget(Slot.A, "1.0.0"))).isEqualTo(new Observation.Measured(new Counts(17, 0)));

        // b is scaled away: what it reported stays in the sum
        instances.put(Slot.A, List.of(a.uri()));
        a.handle(1);
        assertThat(provider.observe(new MetricsTarget(Slot.A, "1.0.0"))).isEqualTo(new Observation.Measured(new Counts(18, 0)));

        // a restarts (same address, counters from zero): its old total is carried
        URI address = a.uri();
        a.metricsText("# TYPE bot_requests_total counter\nbot_requests_total{outcome=\"ok\"} 2\n");
        instances.put(Slot.A, List.of(address));
        assertThat(provider.observe(new MetricsTarget(Slot.A, "1.0.0"))).isEqualTo(new Observation.Measured(new Counts(20, 0)));
    }

    @Test
    void readsHandWrittenTextAndOtherColoursStaySeparate() {
        BotStub plain = bot().metricsText("""
                # HELP bot_requests_total Updates handled.
                # TYPE bot_requests_total counter
                bot_requests_total{outcome="ok"} 40
                bot_requests_total{outcome="error"} 2
                # TYPE bot_handler_errors_total counter
                bot_handler_errors_total{answered="2xx"} 1
                bot_handler_errors_total{answered="5xx"} 1
                """);
        instances.put(Slot.B, List.of(plain.uri()));
        assertThat(provider.read(new MetricsTarget(Slot.B, "2.0.0"))).isEqualTo(new BotReading.Counted(new BotCounters(42, 2, 1)));
        assertThat(provider.observe(new MetricsTarget(Slot.A, "1.0.0"))).isInstanceOf(Observation.NoData.class);
    }

    @Test
    void samplesWithoutATypeLineAreNotReadByTheParser() {
        // a limit of the hawkular parser, documented in docs/router.md: every client library writes # TYPE lines
        BotStub untyped = bot().metricsText("bot_requests_total{outcome=\"ok\"} 40\n");
        instances.put(Slot.B, List.of(untyped.uri()));
        assertThat(provider.observe(new MetricsTarget(Slot.B, "2.0.0"))).isInstanceOf(Observation.NoData.class);
    }
}
