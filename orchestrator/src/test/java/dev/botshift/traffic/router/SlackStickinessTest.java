package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.kubernetes.testing.Eventually;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With {@code stickyBy: slack} a channel's events (JSON), slash commands (a form) and button presses (a form whose
 * {@code payload} is JSON) reach the colour its messages reach, and every one of them counts as a valid update for
 * the judge. Before, the forms were split at random and counted as not JSON.
 */
class SlackStickinessTest extends RouterPerTest {
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final int CHANNELS = 40;

    @Test
    void aChannelsEventsCommandsAndButtonPressesShareItsColourAndAreJudged() {
        fixture.client.update(RouterConfigJson.toJson(fixture.client.config().withStickyBy("slack")));
        fixture.client.setWeights(new Weights(50, 50));
        Map<Slot, Integer> seen = new EnumMap<>(Slot.class);
        for (int i = 0; i < CHANNELS; i++) {
            String channel = "C" + (7_000 + i * 13);
            Slot colour = fixture.colourOf("{\"type\":\"event_callback\",\"event\":{\"type\":\"message\",\"channel\":\""
                    + channel + "\",\"user\":\"U1\",\"text\":\"hi\"}}");
            seen.merge(colour, 1, Integer::sum);
            assertThat(fixture.colourOf("token=t&channel_id=" + channel + "&user_id=U1&command=%2Fweather&text=x", FORM))
                    .as("channel %s's slash command", channel).isEqualTo(colour);
            assertThat(fixture.colourOf("payload=" + URLEncoder.encode("{\"type\":\"block_actions\",\"user\":{\"id\":"
                    + "\"U1\"},\"channel\":{\"id\":\"" + channel + "\"},\"actions\":[{\"action_id\":\"ok\"}]}",
                    StandardCharsets.UTF_8), FORM)).as("channel %s's button press", channel).isEqualTo(colour);
        }
        assertThat(seen).containsKeys(Slot.A, Slot.B); // both colours had channels: the test could fail

        Eventually.await(Duration.ofSeconds(5), "every request counted",
                () -> fixture.client.stats().of(Slot.A).requests() + fixture.client.stats().of(Slot.B).requests()
                        == 3L * CHANNELS);
        RouterStats stats = fixture.client.stats();
        assertThat(stats.invalid().values()).as("none left out of the verdicts: %s", stats.invalid()).containsOnly(0L);
        assertThat(stats.of(Slot.A).judgedRequests() + stats.of(Slot.B).judgedRequests()).isEqualTo(3L * CHANNELS);
    }
}
