package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.testing.Slow;
import dev.botshift.traffic.GreenGuard;
import dev.botshift.traffic.WeightCheck;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The guard in a real router: real backends, real HTTP, the real config file. Green's backend starts answering 500
 * and the router alone cuts it to 0 %, keeps it there against a change that would give it traffic again, tells
 * why on its admin API and in {@code /metrics}, and comes back cut after a restart.
 */
@Slow
class RouterGuardTest extends RouterPerTest {
    static final GreenGuard GUARD = new GreenGuard(Slot.B, "run-1", GuardWatchTest.AT_ONE_PERCENT, 0.05);
    private final AtomicLong chat = new AtomicLong();

    /** A valid update of the next chat (sticky: chats spread over both colours at 50 %). */
    private HttpResponse<String> next() {
        return fixture.post("/webhook", RouterFixture.update(chat.incrementAndGet()));
    }

    /** Sends {@code updates} updates; how many green answered. */
    private int toGreen(int updates) {
        int green = 0;
        for (int i = 0; i < updates; i++) {
            if ("b".equals(next().headers().firstValue(RoutingHandler.SLOT_HEADER).orElse(""))) {
                green++;
            }
        }
        return green;
    }

    /** The cut is in force at once; the router counts it and then stores it on a pool thread a moment later. */
    private void awaitCutStored() throws java.io.IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!RouterConfigJson.JSON.readTree(fixture.configFile.toFile()).path("guard").has("tripped")
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    // A shared cause (the bots' database gone): blue fails first, then green too. The guard weighs none of green's
    // answers while blue's latest fail, says how many it held in its stats and /metrics, and cuts a green still
    // failing once blue has recovered.
    @Test
    void greenFailingWhileBlueFailsTooIsHeldAndCountedThenCutOnceBlueRecovers() throws Exception {
        fixture.client.setWeights(new Weights(50, 50), GUARD);
        for (int i = 0; i < 100; i++) {
            assertThat(next().statusCode()).isEqualTo(200);
        }
        fixture.blue1.answering(500);
        fixture.blue2.answering(500);
        int healthyGreen = toGreen(100); // blue's latest answers fill with errors; green's, healthy, are held too
        fixture.green.answering(500);
        int failingGreen = toGreen(200);
        assertThat(failingGreen).as("green had its share of the outage").isGreaterThan(50);
        assertThat(fixture.router.config().trip()).as("a shared cause cuts nothing").isNull();
        JsonNode guard = RouterConfigJson.JSON.readTree(fixture.admin("/botshift/stats").body()).path("guard");
        long held = guard.path("heldForBlue").asLong();
        assertThat(held).as(guard.toString()).isBetween((long) failingGreen, (long) failingGreen + healthyGreen);
        assertThat(fixture.admin("/metrics").body()).contains("botshift_router_guard_held_answers " + held + ".0");
        // blue's own sums stand at their cap of 8 after its hundreds of errors (shown, as the hold's reason)
        assertThat(guard.path("blueStatistic").asDouble()).as(guard.toString()).isEqualTo(GuardWatch.BLUE_CAP);
        assertThat(guard.path("blueSteepStatistic").asDouble()).as(guard.toString()).isEqualTo(GuardWatch.BLUE_CAP);
        assertThat(fixture.admin("/metrics").body())
                .contains("botshift_router_guard_blue_statistic " + GuardWatch.BLUE_CAP)
                .contains("botshift_router_guard_blue_steep_statistic " + GuardWatch.BLUE_CAP);

        fixture.blue1.answering(200);
        fixture.blue2.answering(200);
        long recovered = System.nanoTime();
        while (fixture.router.config().weights().b() > 0) {
            next();
            assertThat(Duration.ofNanos(System.nanoTime() - recovered)).as("green still failing is cut")
                    .isLessThan(Duration.ofSeconds(10));
        }
        assertThat(fixture.router.config().trip()).isNotNull();
    }

    @Test
    void greenAnswering500IsCutByTheRouterAloneWithinMillisecondsAndStaysCut() throws Exception {
        fixture.client.setWeights(new Weights(50, 50), GUARD);
        for (int i = 0; i < 200; i++) {
            assertThat(next().statusCode()).isEqualTo(200); // a healthy green: the sum stays at 0
        }
        assertThat(fixture.router.config().trip()).isNull();

        fixture.green.answering(500);
        long onset = System.nanoTime();
        int toGreen = 0;
        while (fixture.router.config().weights().b() > 0) {
            if (next().statusCode() == 500) {
                toGreen++;
            }
            assertThat(Duration.ofNanos(System.nanoTime() - onset)).isLessThan(Duration.ofSeconds(10));
        }
        Duration cut = Duration.ofNanos(System.nanoTime() - onset);
        System.out.println("measured: a real router cut green to 0 % " + cut.toMillis() + " ms after its backend began"
                + " answering 500 (" + toGreen + " green answers)");
        assertThat(toGreen).as("the steep sum, ln 9 per error: 8 errors cross ln(3 x 10^7)").isEqualTo(8);
        assertThat(cut).isLessThan(Duration.ofSeconds(2));

        for (int i = 0; i < 50; i++) {
            HttpResponse<String> r = next();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue(RoutingHandler.SLOT_HEADER)).hasValue("a");
        }
        assertThat(fixture.client.verify(new Weights(50, 50))).isInstanceOfSatisfying(WeightCheck.Tripped.class, t -> {
            assertThat(t.actual()).isEqualTo(Weights.allTo(Slot.A));
            assertThat(t.rollout()).isEqualTo("run-1");
            assertThat(t.trip().errors()).isEqualTo(8);
        });
        // an orchestrator that decided before it saw the cut cannot undo it
        assertThatThrownBy(() -> fixture.client.setWeights(new Weights(50, 50), GUARD))
                .isInstanceOf(GuardTrippedException.class).hasMessageContaining("the router's guard cut green to 0%");
        assertThatThrownBy(() -> fixture.client.setWeights(new Weights(50, 50)))
                .isInstanceOf(GuardTrippedException.class);
        assertThat(fixture.router.config().weights()).isEqualTo(Weights.allTo(Slot.A));

        awaitCutStored();
        JsonNode stats = RouterConfigJson.JSON.readTree(fixture.admin("/botshift/stats").body());
        assertThat(stats.path("guard").path("armed").asBoolean()).isFalse();
        assertThat(stats.path("guard").path("tripped").path("errors").asLong()).isEqualTo(8);
        assertThat(fixture.admin("/metrics").body()).contains("botshift_router_guard_trips_total 1.0")
                .contains("botshift_router_guard_statistic", "botshift_router_guard_steep_statistic");
        assertThat(stats.path("guard").has("steepStatistic")).isTrue();
        JsonNode file = RouterConfigJson.JSON.readTree(fixture.configFile.toFile());
        assertThat(file.path("weights").path("b").asInt()).isZero();
        assertThat(file.path("guard").path("tripped").path("errors").asLong()).isEqualTo(8);
        assertThat(file.path("guard").path("tripped").path("requests").asLong()).as("since it was armed").isGreaterThan(13);

        // the rollback's all-to-blue goes through and keeps the trip; the next rollout's guard opens green again
        fixture.client.setWeights(Weights.allTo(Slot.A), null);
        assertThat(fixture.router.config().trip()).isNotNull();
        fixture.green.answering(200);
        fixture.client.setWeights(new Weights(90, 10), new GreenGuard(Slot.B, "run-2", GuardWatchTest.AT_ONE_PERCENT, 0.05));
        assertThat(fixture.router.config().trip()).isNull();
        assertThat(fixture.client.verify(new Weights(90, 10))).isInstanceOf(WeightCheck.Matches.class);
    }

    @Test
    void aRouterStartedAgainOnTheSameFileComesBackWithGreenCutAndTheTripOnRecord() throws Exception {
        fixture.client.setWeights(new Weights(50, 50), GUARD);
        fixture.green.answering(500);
        for (int i = 0; i < 1000 && fixture.router.config().trip() == null; i++) {
            next();
        }
        RouterConfig cut = fixture.router.config();
        assertThat(cut.trip()).isNotNull();
        awaitCutStored();
        fixture.router.stop();

        try (RouterServer again = new RouterServer(FileRouterConfigSource.open(fixture.configFile), 0, 0,
                RouterServer.Guards.local(fixture.token)).start()) {
            assertThat(again.config()).isEqualTo(cut);
            assertThat(again.client().verify(new Weights(50, 50))).isInstanceOf(WeightCheck.Tripped.class);
            assertThatThrownBy(() -> again.client().setWeights(new Weights(50, 50), GUARD))
                    .isInstanceOf(GuardTrippedException.class);
        }
        fixture = new RouterFixture(dir); // the per-test fixture's stop at the end
    }

    @Test
    void junkAnswered4xxAndBluesErrorsNeverTripIt() {
        fixture.client.setWeights(new Weights(50, 50), GUARD);
        fixture.blue1.answering(500);
        fixture.blue2.answering(500);
        fixture.green.answering(400);
        for (int i = 0; i < 100; i++) {
            next(); // green answers 400 to valid updates: not a 5xx, not an error of the release
            fixture.post("/webhook", "not json"); // junk, whatever it is answered
        }
        assertThat(fixture.router.config().trip()).isNull();
        assertThat(fixture.router.config().weights()).isEqualTo(new Weights(50, 50));
    }
}
