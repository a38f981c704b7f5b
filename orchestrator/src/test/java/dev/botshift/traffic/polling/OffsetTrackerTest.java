package dev.botshift.traffic.polling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The offset moves past finished updates only, and the poller's wait for progress misses no finish. */
class OffsetTrackerTest {

    private static TelegramUpdate update(long id) {
        return new TelegramUpdate(id, ("{\"update_id\":" + id + "}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theOffsetMovesOnlyPastTheFinishedPrefix() {
        OffsetTracker tracker = new OffsetTracker(null);
        assertThat(tracker.admit(List.of(update(5), update(6), update(7)))).hasSize(3);
        tracker.finish(6);
        assertThat(tracker.offset()).isNull();
        tracker.finish(5);
        assertThat(tracker.offset()).isEqualTo(7);
        assertThat(tracker.inFlight()).isEqualTo(1);
        assertThat(tracker.admit(List.of(update(5), update(7), update(8)))).extracting(TelegramUpdate::id)
                .containsExactly(8L);
    }

    @Test
    void aFinishBetweenTheMarkAndTheWaitEndsTheWaitAtOnce() throws Exception {
        // the poller's race: it takes the mark, polls, sees an update still in flight; that update finishes before
        // the poller starts waiting. A wait that only listens for the next notification sleeps its whole limit,
        // and every update arriving at the API meanwhile waits as long.
        OffsetTracker tracker = new OffsetTracker(null);
        tracker.admit(List.of(update(1), update(2)));
        long mark = tracker.progress();
        tracker.finish(1);

        long t0 = System.nanoTime();
        boolean progressed = tracker.awaitProgress(mark, 10_000);

        assertThat(progressed).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2_000);
    }

    @Test
    void aFinishDuringTheWaitWakesIt() throws Exception {
        OffsetTracker tracker = new OffsetTracker(null);
        tracker.admit(List.of(update(1)));
        long mark = tracker.progress();
        CompletableFuture<Void> finisher = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            tracker.finish(1);
        });

        long t0 = System.nanoTime();
        boolean progressed = tracker.awaitProgress(mark, 10_000);

        assertThat(progressed).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(150L, 5_000L);
        finisher.join();
    }

    @Test
    void withoutAFinishTheWaitLastsItsLimit() throws Exception {
        OffsetTracker tracker = new OffsetTracker(null);
        tracker.admit(List.of(update(1)));
        long mark = tracker.progress();
        tracker.finish(99); // not held: no progress

        long t0 = System.nanoTime();
        boolean progressed = tracker.awaitProgress(mark, 300);

        assertThat(progressed).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(300);
        assertThat(tracker.inFlight()).isEqualTo(1);
    }
}
