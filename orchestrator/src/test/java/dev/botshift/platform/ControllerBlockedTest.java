package dev.botshift.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.InvalidInputException;
import dev.botshift.kubernetes.testing.ApiRequests;
import dev.botshift.kubernetes.testing.Eventually;
import dev.botshift.kubernetes.testing.MockCluster;
import dev.botshift.kubernetes.testing.QuietMockServer;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutStart;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.state.AppLock;
import dev.botshift.state.StateStore;
import dev.botshift.state.kubernetes.ConfigMapStateStore;
import dev.botshift.testing.ScaledClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout the controller cannot start (its plan unreadable with the controller's environment, its platform refused
 * when assembled) says why in its history, where {@code deploy} and {@code status} show it, once per cause; before,
 * it waited without a word and only the controller's log said why.
 */
class ControllerBlockedTest extends MockCluster {
    private static final String APP = "sentiment-bot";
    private final ScaledClock clock = new ScaledClock(Instant.parse("2026-03-01T10:00:00Z"), 3);
    @TempDir
    Path dir;

    @BeforeAll
    static void quietMockServer() {
        QuietMockServer.warningsOnly();
    }

    @Test
    void aRolloutTheControllerCannotStartSaysWhyInItsHistoryOncePerCause() throws Exception {
        KubernetesPlans plans = new KubernetesPlans(dir, "http://127.0.0.1:9/");
        AtomicReference<String> cause = new AtomicReference<>(
                "plan.yaml:8:3: database.url: environment variable DB_URL is not set");
        try (ControllerReplica a = new ControllerReplica("controller-a", client, NS, s -> {
            throw new InvalidInputException(cause.get());
        }, new RecordingSchema(), clock, Duration.ofSeconds(3)).start()) {
            StateStore cli = new ConfigMapStateStore(ApiRequests.fixtureClient(client), NS, clock, clock::sleep);
            try (AppLock lock = cli.lock(APP, "botshift deploy (test)", Duration.ofSeconds(15))) {
                RolloutStart.Fresh fresh = (RolloutStart.Fresh) RolloutStart.decide(null, APP, "2.0.0",
                        plans.base().source().toString(), "run-1", clock.instant());
                cli.write(APP, RolloutStateCodec.encode(fresh.state()), null, lock);
            }

            Eventually.await(Duration.ofSeconds(20), "the cause in the history", () -> blocked(cli).size() == 1);
            assertThat(blocked(cli).get(0).describe()).isEqualTo("botshift controller controller-a cannot drive the "
                    + "rollout: plan.yaml:8:3: database.url: environment variable DB_URL is not set (it tries again "
                    + "until the cause is fixed)");
            Eventually.await(Duration.ofSeconds(20), "two more tries in the log",
                    () -> a.log().split("cannot drive " + APP, -1).length > 3);
            assertThat(blocked(cli)).as("the same cause, tried again: recorded once").hasSize(1);

            cause.set("traffic.resource: HTTPRoute sentiment-bot not found in namespace bots");
            Eventually.await(Duration.ofSeconds(20), "the new cause in the history", () -> blocked(cli).size() == 2);
            assertThat(blocked(cli).get(1).why()).startsWith("traffic.resource: HTTPRoute");
            assertThat(state(cli).phase().terminal()).as("still waiting to be driven").isFalse();
        }
    }

    private static RolloutState state(StateStore store) {
        return RolloutStateCodec.decode(store.read(APP).orElseThrow().json());
    }

    private static List<RolloutEvent.DriverBlocked> blocked(StateStore store) {
        return state(store).history().stream().filter(e -> e instanceof RolloutEvent.DriverBlocked)
                .map(e -> (RolloutEvent.DriverBlocked) e).toList();
    }
}
