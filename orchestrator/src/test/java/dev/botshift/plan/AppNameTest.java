package dev.botshift.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A plan name leaves room for a slot's "-a" in a 63-character DNS-1035 Service name, as Kubernetes validates it. */
class AppNameTest {
    @Test
    void theLongestNameMakesA63CharacterServiceName() {
        assertThat(AppName.SUFFIX).isEqualTo("-a".length());
        assertThat(AppName.MAX).isEqualTo(61);
        assertThat(AppName.valid("b".repeat(61))).isTrue();
        assertThat(("b".repeat(61) + "-a")).hasSize(63);
        assertThat(AppName.valid("b".repeat(62))).isFalse();
    }

    @Test
    void dns1035StartsWithALetterAndEndsWithALetterOrDigit() {
        assertThat(AppName.valid("sentiment-bot")).isTrue();
        assertThat(AppName.valid("bot2")).isTrue();
        assertThat(AppName.valid("b")).isTrue();
        for (String bad : new String[]{"2bot", "-bot", "bot-", "Bot", "bot_1", "bot.1", "", "bot\n"}) {
            assertThat(AppName.valid(bad)).as("'%s'", bad).isFalse();
        }
    }
}
