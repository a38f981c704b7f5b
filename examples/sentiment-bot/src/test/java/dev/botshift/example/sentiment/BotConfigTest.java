package dev.botshift.example.sentiment;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BotConfigTest {

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("BOT_VERSION", "2.1.0");
        env.put("BOT_SLOT", "b");
        env.put("DB_URL", "jdbc:postgresql://localhost/bot");
        env.put("DB_USER", "bot");
        env.put("DB_PASSWORD", "s3cret-value");
        return env;
    }

    @Test
    void readsTheEnvironmentWithDefaults() {
        Map<String, String> env = env();
        env.put("BOT_FAULT_AFTER", "1.5");
        BotConfig config = BotConfig.fromEnv(env);

        assertThat(config.port()).isZero();
        assertThat(config.major()).isEqualTo(2);
        assertThat(config.faultRate()).isZero();
        assertThat(config.faultAfter()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.toString()).doesNotContain("s3cret-value");
    }

    @ParameterizedTest
    @CsvSource({
            "BOT_VERSION, v2",
            "BOT_VERSION, 0.9.0",
            "BOT_SLOT, red",
            "BOT_FAULT_RATE, 1.5",
            "BOT_FAULT_SILENT_RATE, lots",
            "BOT_FAULT_AFTER, -1",
            "BOT_FAULT_AT, tomorrow",
            "PORT, http",
            "DB_URL, mysql://x",
    })
    void anInvalidValueNamesItsVariable(String variable, String value) {
        Map<String, String> env = env();
        env.put(variable, value);

        assertThatThrownBy(() -> BotConfig.fromEnv(env))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("invalid " + variable + ":")
                .hasMessageNotContaining("s3cret-value");
    }

    @Test
    void faultAtIsAnInstantAndExcludesFaultAfter() {
        Map<String, String> env = env();
        env.put("BOT_FAULT_AT", "2026-11-27T12:00:00.250Z");
        assertThat(BotConfig.fromEnv(env).faultAt()).isEqualTo(java.time.Instant.parse("2026-11-27T12:00:00.250Z"));

        env.put("BOT_FAULT_AFTER", "2");
        assertThatThrownBy(() -> BotConfig.fromEnv(env)).hasMessageStartingWith("invalid BOT_FAULT_AT:");
    }

    @Test
    void aMissingVariableIsNamed() {
        Map<String, String> env = env();
        env.remove("DB_USER");

        assertThatThrownBy(() -> BotConfig.fromEnv(env)).hasMessage("invalid DB_USER: must be set");
    }
}
