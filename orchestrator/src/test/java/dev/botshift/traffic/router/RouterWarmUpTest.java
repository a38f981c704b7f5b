package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterWarmUpTest {

    @Test
    void theWarmUpPassRunsTheWholeProxyPathToABotOfItsOwnAndBack() throws Exception {
        try (OkBackend bot = OkBackend.start()) {
            assertThat(bot.uri().getHost()).isEqualTo("127.0.0.1");

            int answered = RouterServer.warmUp(RouterConfig.initial().withBackends(Slot.A, List.of(bot.uri())));

            assertThat(answered).as("webhooks answered 200 by the bot through the proxy").isEqualTo(3);
        }
    }

    @Test
    void aPassWhoseBotDoesNotAnswerCountsNoAnswer() throws Exception {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        assertThat(RouterServer.warmUp(RouterConfig.initial().withBackends(Slot.A, List.of(closed)))).isZero();
    }

    @Test
    void thePublicWarmUpStopsTheBotItStarted() {
        long before = dispatchers();
        long start = System.nanoTime();
        RouterServer.warmUp();
        System.out.printf("measured: a warm-up pass in %d ms%n", (System.nanoTime() - start) / 1_000_000);

        assertThat(dispatchers()).as("the JDK HTTP server's dispatcher threads (its bot's one stopped)")
                .isLessThanOrEqualTo(before);
    }

    private static long dispatchers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("HTTP-Dispatcher") && t.isAlive()).count();
    }
}
