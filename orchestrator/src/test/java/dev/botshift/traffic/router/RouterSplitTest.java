package dev.botshift.traffic.router;

import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.testing.Slow;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@Slow
class RouterSplitTest extends RouterPerTest {
    @Test
    void weightsAreRespectedForDistinctChatsAndForRequestsWithoutAChat() {
        fixture.client.setWeights(new Weights(80, 20));
        Map<Slot, Integer> sticky = new EnumMap<>(Slot.class);
        Map<Slot, Integer> random = new EnumMap<>(Slot.class);
        for (int i = 0; i < 2000; i++) {
            sticky.merge(fixture.colourOf(RouterFixture.update(1_000_000L + i * 7919L)), 1, Integer::sum);
            random.merge(fixture.colourOf("ping " + i), 1, Integer::sum);
        }
        assertThat(sticky.get(Slot.B) / 2000.0).isCloseTo(0.20, within(0.05));
        assertThat(random.get(Slot.B) / 2000.0).isCloseTo(0.20, within(0.05));
        // the header tells the truth: each backend answers with its own colour
        assertThat(fixture.green.requests()).isEqualTo(sticky.get(Slot.B) + random.get(Slot.B));
        // round robin within blue
        assertThat(fixture.blue1.requests()).isCloseTo(fixture.blue2.requests(), within(2));
    }

    /** With {@code stickyBy: telegram} a chat's button presses and edits go where its messages go. */
    @Test
    void everyKindOfUpdateOfAChatGoesToItsColour() {
        fixture.client.update(RouterConfigJson.toJson(fixture.client.config().withStickyBy("telegram")));
        fixture.client.setWeights(new Weights(50, 50));
        Map<Slot, Integer> seen = new EnumMap<>(Slot.class);
        for (int i = 0; i < 200; i++) {
            long chat = -100_777_000L - i * 13L;
            Slot colour = fixture.colourOf(RouterFixture.update(chat));
            seen.merge(colour, 1, Integer::sum);
            assertThat(fixture.colourOf("{\"update_id\":" + i + ",\"callback_query\":{\"id\":\"c\",\"from\":{\"id\":5},"
                    + "\"message\":{\"message_id\":1,\"chat\":{\"id\":" + chat + "}},\"data\":\"x\"}}"))
                    .as("chat %d's button press", chat).isEqualTo(colour);
            assertThat(fixture.colourOf("{\"update_id\":" + i + ",\"edited_message\":{\"message_id\":1,\"chat\":{\"id\":"
                    + chat + "},\"text\":\"e\"}}")).as("chat %d's edit", chat).isEqualTo(colour);
        }
        assertThat(seen).containsKeys(Slot.A, Slot.B); // both colours had chats: the test could fail
    }

    @Test
    void aChatMovesAtMostOncePerDirectionAsWeightsGoUpAndDown() {
        List<Long> chats = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            chats.add(-100_123_456L - i * 31L);
        }
        Map<Long, Integer> moves = new HashMap<>();
        Map<Long, Slot> last = new HashMap<>();
        for (int green : List.of(0, 5, 25, 50, 100)) {
            fixture.client.setWeights(Weights.canary(Slot.B, green));
            for (long chat : chats) {
                Slot now = fixture.colourOf(RouterFixture.update(chat));
                Slot before = last.put(chat, now);
                if (before != null && before != now) {
                    assertThat(before).as("chat %d went back to blue while green grew", chat).isEqualTo(Slot.A);
                    moves.merge(chat, 1, Integer::sum);
                }
            }
            if (green == 0) {
                assertThat(last.values()).containsOnly(Slot.A);
            }
        }
        assertThat(last.values()).containsOnly(Slot.B);
        assertThat(moves.values()).allMatch(m -> m == 1);
        assertThat(moves).hasSize(200);

        moves.clear();
        for (int green : List.of(50, 25, 5, 0)) {
            fixture.client.setWeights(Weights.canary(Slot.B, green));
            for (long chat : chats) {
                Slot now = fixture.colourOf(RouterFixture.update(chat));
                Slot before = last.put(chat, now);
                if (before != now) {
                    assertThat(before).as("chat %d went to green while green shrank", chat).isEqualTo(Slot.B);
                    moves.merge(chat, 1, Integer::sum);
                }
            }
        }
        assertThat(last.values()).containsOnly(Slot.A);
        assertThat(moves.values()).allMatch(m -> m == 1);
    }

    @Test
    void requestsWithoutTheFieldOrNotJsonAreSplitAtRandom() {
        fixture.client.setWeights(new Weights(50, 50));
        Map<Slot, Integer> seen = new EnumMap<>(Slot.class);
        for (int i = 0; i < 100; i++) {
            seen.merge(fixture.colourOf("{\"update_id\":1,\"message\":{\"text\":\"no chat\"}}"), 1, Integer::sum);
            seen.merge(fixture.colourOf("not json at all"), 1, Integer::sum);
        }
        // the very same body lands on both colours: nothing sticky about it
        assertThat(seen.get(Slot.A)).isBetween(60, 140);
        assertThat(seen.get(Slot.B)).isBetween(60, 140);
    }

    @Test
    void aColourWithoutBackendsOrWeightNeverGetsTraffic() {
        fixture.client.setWeights(new Weights(50, 50));
        fixture.client.setBackends(Slot.B, List.of());
        for (int i = 0; i < 50; i++) {
            assertThat(fixture.colourOf(RouterFixture.update(i))).isEqualTo(Slot.A);
        }
        assertThat(fixture.green.requests()).isZero();

        fixture.client.setBackends(Slot.B, List.of(fixture.green.uri()));
        fixture.client.setWeights(new Weights(100, 0));
        for (int i = 0; i < 50; i++) {
            assertThat(fixture.colourOf("ping")).isEqualTo(Slot.A);
        }
        assertThat(fixture.green.requests()).isZero();

        // blue at 0 % and green without backends: nobody may serve
        fixture.client.setWeights(new Weights(0, 100));
        fixture.client.setBackends(Slot.B, List.of());
        assertThat(fixture.post("/webhook", RouterFixture.update(1)).statusCode()).isEqualTo(503);
    }

    @Test
    void pathQueryAndBodyReachTheBackendUnchanged() {
        String body = RouterFixture.update(42);
        HttpResponse<String> response = fixture.post("/bot/webhook?secret=abc", body);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("blue");
        FakeBackend hit = fixture.blue1.requests() == 1 ? fixture.blue1 : fixture.blue2;
        assertThat(hit.lastPath()).isEqualTo("/bot/webhook?secret=abc");
        assertThat(hit.lastBody()).isEqualTo(body);
    }
}
