package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.botshift.core.InvalidInputException;
import dev.botshift.traffic.polling.BridgeSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code botshift router --poll-*}: parsed into the bridge's settings, or refused naming the option, never the token. */
class PollingOptionsTest {
    static final String TOKEN = "777:router-Option_token";
    static final Map<String, String> ENV = Map.of("BOT_TOKEN", TOKEN, "EMPTY", " ");

    private static PollingOptions parse(String... args) {
        return CommandLine.populateCommand(new RouterCommand(), args).polling;
    }

    @Test
    void defaultsAndValues() {
        BridgeSettings defaults = parse("--config-file", "/state/router/config.json", "--poll-token-env", "BOT_TOKEN")
                .settings(ENV, Path.of("/state/router/config.json"));
        assertThat(defaults.apiUrl()).isEqualTo(URI.create("https://api.telegram.org"));
        assertThat(defaults.pollTimeout()).isEqualTo(Duration.ofSeconds(25));
        assertThat(defaults.maxAttempts()).isEqualTo(8);
        assertThat(defaults.allowedUpdates()).isNull();
        assertThat(defaults.stateDir()).isEqualTo(Path.of("/state/router"));
        assertThat(defaults.toString()).doesNotContain(TOKEN);

        BridgeSettings given = parse("--config-file", "c.json", "--poll-token-env", "BOT_TOKEN",
                "--poll-api-url", "http://127.0.0.1:8081", "--poll-allowed-updates", "message, callback_query",
                "--poll-timeout", "5s", "--poll-max-attempts", "3", "--poll-state-dir", "/tmp/s")
                .settings(ENV, Path.of("c.json"));
        assertThat(given.apiUrl()).isEqualTo(URI.create("http://127.0.0.1:8081"));
        assertThat(given.allowedUpdates()).containsExactly("message", "callback_query");
        assertThat(given.pollTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(given.maxAttempts()).isEqualTo(3);
        assertThat(given.stateDir()).isEqualTo(Path.of("/tmp/s"));
        assertThat(parse("--config-file", "c.json").enabled()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            token not set      | --poll-token-env=UNSET                           | --poll-token-env: environment variable UNSET is not set
            token empty        | --poll-token-env=EMPTY                           | --poll-token-env: environment variable EMPTY is empty
            api url not http   | --poll-api-url=file:///etc/passwd                | --poll-api-url:
            api url user info  | --poll-api-url=https://u:p@api.telegram.org      | --poll-api-url:
            relative path      | --poll-path=webhook                              | --poll-path: must start with '/'
            timeout nonsense   | --poll-timeout=soon                              | --poll-timeout:
            timeout too long   | --poll-timeout=2h                                | --poll-timeout: must be between 0s and 1h
            no attempts        | --poll-max-attempts=0                            | --poll-max-attempts: must be at least 1
            """)
    void refusedNamingTheOption(String why, String option, String message) {
        PollingOptions options = option.startsWith("--poll-token-env") ? parse("--config-file", "c.json", option)
                : parse("--config-file", "c.json", "--poll-token-env", "BOT_TOKEN", option);
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> options.settings(ENV, Path.of("c.json")));
        assertThat(e).as(why).isNotNull();
        assertThat(e.getMessage()).as(why).startsWith(message).doesNotContain(TOKEN);
    }

    @Test
    void theRouterRefusesPollingWithWebhookVerificationOrWithoutAFolder() {
        assertThat(new CommandLine(new RouterCommand()).execute("--config-file", "c.json", "--listen", "0",
                "--admin-port", "0", "--verify", "telegram", "--verify-secret-env", "X", "--poll-token-env", "BOT_TOKEN"))
                .isEqualTo(2);
        PollingOptions inCluster = parse("--configmap", "bots/router", "--poll-token-env", "BOT_TOKEN");
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> inCluster.settings(ENV, null)))
                .hasMessageStartingWith("--poll-state-dir: required with --configmap");
        assertThat(List.of(parse("--config-file", "c.json").path)).containsExactly("/");
    }
}
