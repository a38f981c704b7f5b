package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Slack's requests under {@code stickyBy: slack}: its Events API's JSON, its slash commands' forms and its
 * interactions' forms with a JSON {@code payload} all name the same channel, so all of a channel's requests share its
 * colour; a form that cannot be read is refused as an update, never an error.
 */
class FormUpdateTest {
    private static final StickyField SLACK = StickyField.parse("slack");

    private static InvalidUpdate.Reading form(String body) {
        return FormUpdate.read(body.getBytes(StandardCharsets.US_ASCII), SLACK);
    }

    private static InvalidUpdate.Reading json(String body) {
        return InvalidUpdate.read(body.getBytes(StandardCharsets.UTF_8), SLACK);
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void everyKindOfSlackRequestNamesItsChannel() {
        Optional<String> channel = Optional.of("C0123ABC");
        assertThat(json("{\"type\":\"event_callback\",\"event\":{\"type\":\"message\",\"channel\":\"C0123ABC\","
                + "\"user\":\"U1\",\"text\":\"hi\"}}").key()).as("a message event").isEqualTo(channel);
        assertThat(json("{\"event\":{\"type\":\"reaction_added\",\"user\":\"U1\",\"item\":{\"type\":\"message\","
                + "\"channel\":\"C0123ABC\",\"ts\":\"1.2\"}}}").key()).as("a reaction").isEqualTo(channel);
        assertThat(json("{\"event\":{\"type\":\"channel_rename\",\"channel\":{\"id\":\"C0123ABC\",\"name\":\"x\"}}}")
                .key()).as("a channel event: its channel is an object").isEqualTo(channel);
        assertThat(form("token=t&team_id=T1&channel_id=C0123ABC&channel_name=general&user_id=U1&command=%2Fweather"
                + "&text=94070&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1").key())
                .as("a slash command").isEqualTo(channel);
        assertThat(form("payload=" + encoded("{\"type\":\"block_actions\",\"user\":{\"id\":\"U1\"},\"container\":"
                + "{\"type\":\"message\",\"channel_id\":\"C0123ABC\"},\"channel\":{\"id\":\"C0123ABC\"},"
                + "\"actions\":[{\"action_id\":\"yes\"}]}")).key()).as("a button press").isEqualTo(channel);
        assertThat(form("payload=" + encoded("{\"type\":\"view_submission\",\"user\":{\"id\":\"U1\"},\"view\":"
                + "{\"id\":\"V1\"}}")).key()).as("a modal, which has no channel: its user").hasValue("U1");
        assertThat(form("channel_id=C0123ABC").invalid()).isNull();
    }

    @Test
    void aFormWithoutTheFieldOrUnreadableIsNotAValidUpdate() {
        assertThat(form("token=t&text=hi").invalid()).isEqualTo(InvalidUpdate.NO_STICKY_KEY);
        assertThat(form("channel_id=").invalid()).as("an empty value names nothing").isEqualTo(
                InvalidUpdate.NO_STICKY_KEY);
        assertThat(form("channel_id=%zz").invalid()).as("a broken escape").isEqualTo(InvalidUpdate.NOT_JSON);
        assertThat(form("payload=" + encoded("{not json")).invalid()).isEqualTo(InvalidUpdate.NOT_JSON);
        assertThat(form("channel_id=C1&channel_id=C2").invalid()).as("a field given twice names no conversation: "
                + "bots' form parsers take the first, the last or both").isEqualTo(InvalidUpdate.NO_STICKY_KEY);
        assertThat(form("channel_id=C1&channel_id=C2&user_id=U1").invalid()).as("nor does the next path")
                .isEqualTo(InvalidUpdate.NO_STICKY_KEY);
        assertThat(form("payload=" + encoded("{\"channel\":{\"id\":\"C1\"}}") + "&payload="
                + encoded("{\"channel\":{\"id\":\"C2\"}}")).invalid()).as("a payload given twice is not read")
                .isEqualTo(InvalidUpdate.NOT_JSON);
        assertThat(FormUpdate.read(new byte[0], SLACK).invalid()).isEqualTo(InvalidUpdate.NOT_JSON);
        // a multi-member path never names a form field: the form's fields are one level deep
        assertThat(FormUpdate.read("message=5".getBytes(StandardCharsets.US_ASCII),
                StickyField.parse("$.message.chat.id")).invalid()).isEqualTo(InvalidUpdate.NO_STICKY_KEY);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < FormUpdate.MAX_FIELDS * 4; i++) {
            many.append("f").append(i).append("=x&");
        }
        assertThat(form(many + "channel_id=C0123ABC").invalid()).as("fields past %d are not read",
                FormUpdate.MAX_FIELDS).isEqualTo(InvalidUpdate.NO_STICKY_KEY);
    }

    @Test
    void aFormIsToldByItsMediaType() {
        assertThat(FormUpdate.isForm(typed("application/x-www-form-urlencoded"))).isTrue();
        assertThat(FormUpdate.isForm(typed("Application/X-WWW-Form-Urlencoded ; charset=utf-8"))).isTrue();
        assertThat(FormUpdate.isForm(typed("application/json"))).isFalse();
        assertThat(FormUpdate.isForm(typed("multipart/form-data; boundary=x"))).isFalse();
        assertThat(FormUpdate.isForm(new DefaultHttpHeaders())).isFalse();
    }

    private static HttpHeaders typed(String type) {
        return new DefaultHttpHeaders().set("Content-Type", type);
    }
}
