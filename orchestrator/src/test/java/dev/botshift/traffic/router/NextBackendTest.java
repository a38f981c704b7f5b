package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which instance a webhook whose connection was refused is tried on next: never one that refused it already. */
class NextBackendTest {
    private static final URI DEAD_1 = URI.create("http://127.0.0.1:1001");
    private static final URI DEAD_2 = URI.create("http://127.0.0.1:1002");
    private static final URI LIVE = URI.create("http://127.0.0.1:1003");

    @Test
    void theNextInstanceAfterTheRefusedOneWrappingAround() {
        assertThat(RoutingHandler.nextBackend(List.of(DEAD_1, DEAD_2, LIVE), DEAD_1, List.of(DEAD_1))).isEqualTo(DEAD_2);
        assertThat(RoutingHandler.nextBackend(List.of(LIVE, DEAD_1), DEAD_1, List.of(DEAD_1))).isEqualTo(LIVE);
    }

    /**
     * Routed among three, refused by the first two, and the second taken out by the guard meanwhile: the search starts
     * again from the first, which has refused already, so the live one is next (not a second try of a dead one, which
     * would use up the webhook's tries and answer 502 while an instance lives).
     */
    @Test
    void anInstanceThatRefusedIsNotTriedAgainWhenTheRefusedOneLeftTheColour() {
        assertThat(RoutingHandler.nextBackend(List.of(DEAD_1, LIVE), DEAD_2, List.of(DEAD_1, DEAD_2))).isEqualTo(LIVE);
    }

    @Test
    void noneWhenEveryInstanceRefusedOrNoneIsLeft() {
        assertThat(RoutingHandler.nextBackend(List.of(DEAD_1), DEAD_1, List.of(DEAD_1))).isNull();
        assertThat(RoutingHandler.nextBackend(List.of(DEAD_1, DEAD_2), DEAD_2, List.of(DEAD_1, DEAD_2))).isNull();
        assertThat(RoutingHandler.nextBackend(List.of(), DEAD_1, List.of(DEAD_1))).isNull();
    }
}
