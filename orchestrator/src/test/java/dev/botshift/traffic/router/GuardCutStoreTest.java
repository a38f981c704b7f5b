package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.traffic.GreenGuard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The router reads every bot's answers on one thread (the proxy's client is non-blocking), and the guard's cut is
 * made there. Storing the cut (the config file, on a disk that may be slow or full) can take long: here it
 * blocks until the test lets it go, and every answer meanwhile must still come back at once, from blue.
 */
class GuardCutStoreTest {
    /** A config source whose store of a cut waits until {@link #release} opens. */
    static final class SlowToStoreACut implements RouterConfigSource {
        final CountDownLatch storing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private volatile RouterConfig config;

        SlowToStoreACut(RouterConfig config) {
            this.config = config;
        }

        public RouterConfig current() {
            return config;
        }

        public void store(RouterConfig c) {
            if (c.trip() != null) {
                storing.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            config = c;
        }

        public void onChange(Consumer<RouterConfig> listener) {
        }

        public void close() {
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private long chat;

    @Test
    void answersKeepComingWhileTheCutIsBeingStored() throws Exception {
        try (FakeBackend blue = new FakeBackend("blue"); FakeBackend green = new FakeBackend("green")) {
            SlowToStoreACut source = new SlowToStoreACut(new RouterConfig(new Weights(50, 50),
                    Map.of(Slot.A, List.of(blue.uri()), Slot.B, List.of(green.uri())), RouterFixture.STICKY,
                    new GreenGuard(Slot.B, "run-1", GuardWatchTest.AT_ONE_PERCENT, 0.05), null));
            RouterServer router = new RouterServer(source, 0, 0, RouterServer.Guards.local(AdminToken.generate()))
                    .start();
            try {
                green.answering(500);
                for (int i = 0; i < 1000 && source.storing.getCount() > 0; i++) {
                    post(router);
                }
                assertThat(source.storing.await(10, TimeUnit.SECONDS)).as("the guard cut green").isTrue();

                for (int i = 0; i < 20; i++) { // the cut is still being stored: nothing may wait for it
                    long from = System.nanoTime();
                    HttpResponse<String> answer = post(router);
                    assertThat(answer.statusCode()).isEqualTo(200);
                    assertThat(answer.headers().firstValue(RoutingHandler.SLOT_HEADER)).hasValue("a");
                    assertThat(Duration.ofNanos(System.nanoTime() - from)).isLessThan(Duration.ofSeconds(2));
                }
                assertThat(source.current().trip()).as("not stored yet").isNull();

                source.release.countDown();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (source.current().trip() == null && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(source.current().trip()).as("stored once released").isNotNull();
            } finally {
                source.release.countDown();
                router.stop();
            }
        }
    }

    private HttpResponse<String> post(RouterServer router) throws Exception {
        chat++;
        return http.send(HttpRequest.newBuilder(URI.create(router.listenUri() + "/webhook"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(RouterFixture.update(chat))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
