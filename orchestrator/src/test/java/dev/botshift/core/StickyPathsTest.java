package dev.botshift.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code stickyBy} may say: one rule for the plan and the router. */
class StickyPathsTest {
    @Test
    void onePathSeveralOrTelegramsEveryKindOfUpdate() {
        assertThat(StickyPaths.parse("$.message.chat.id")).containsExactly(List.of("message", "chat", "id"));
        assertThat(StickyPaths.parse("$.event.channel | $.user.id"))
                .containsExactly(List.of("event", "channel"), List.of("user", "id"));
        List<List<String>> telegram = StickyPaths.parse("telegram");
        assertThat(telegram).hasSize(StickyPaths.TELEGRAM_PATHS.size())
                .startsWith(List.of("message", "chat", "id"))
                .contains(List.of("callback_query", "message", "chat", "id"), List.of("edited_message", "chat", "id"),
                        List.of("my_chat_member", "chat", "id"), List.of("inline_query", "from", "id"));
        // a callback query's chat before its user: in an inline message's callback only the user is there
        assertThat(telegram.indexOf(List.of("callback_query", "message", "chat", "id")))
                .isLessThan(telegram.indexOf(List.of("callback_query", "from", "id")));
    }

    @Test
    void arrayElementsByIndexAndWhatsappsOtherParty() {
        assertThat(StickyPaths.parse("$.entry[0].changes[12][3].from")).containsExactly(
                List.of("entry", "[0]", "changes", "[12]", "[3]", "from"));
        assertThat(StickyPaths.parse("whatsapp")).hasSize(StickyPaths.WHATSAPP_PATHS.size())
                .startsWith(List.of("entry", "[0]", "changes", "[0]", "value", "messages", "[0]", "from"));
        assertThat(StickyPaths.isIndex(StickyPaths.index(7))).isTrue();
        assertThat(StickyPaths.isIndex("from")).isFalse();
    }

    @Test
    void anythingElseIsRefusedSayingWhat() {
        for (String bad : List.of("", " ", "message.chat.id", "$.", "$.message..id", "$.message.chat.id|",
                "$.a || $.b", "$.message[].id", "$.message[x].id", "$.message[-1]", "$[0].id", "$.a[12345]", "$..id",
                "$.1chat", "Telegram")) {
            assertThatThrownBy(() -> StickyPaths.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("telegram").hasMessageContaining("$.message.chat.id");
        }
        String many = String.join("|", java.util.Collections.nCopies(StickyPaths.MAX_PATHS + 1, "$.a"));
        assertThatThrownBy(() -> StickyPaths.parse(many)).hasMessageContaining("at most " + StickyPaths.MAX_PATHS);
    }
}
