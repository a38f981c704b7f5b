package dev.botshift.cli;

import dev.botshift.core.DurationText;
import dev.botshift.core.InvalidInputException;
import dev.botshift.os.PrivateDirectory;
import dev.botshift.plan.AppName;
import dev.botshift.traffic.polling.BotToken;
import dev.botshift.traffic.router.WebhookSecrets;
import dev.botshift.traffic.webhook.WebhookApi;
import dev.botshift.traffic.webhook.WebhookRegistration;
import dev.botshift.traffic.webhook.WebhookUrls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What every {@code botshift webhook} command needs: the app, the bot's token, the Bot API, the state directory. */
final class WebhookOptions {
    @Parameters(index = "0", paramLabel = "<app>", description = "The app (the plan's name): its router verifies the"
            + " webhook with the secrets kept in its state directory.")
    String app;

    @Option(names = "--token-env", paramLabel = "<NAME>", defaultValue = "BOT_TOKEN",
            description = "The environment variable holding the bot token (never an argument; default: ${DEFAULT-VALUE}).")
    String tokenEnv;

    @Option(names = "--api-url", paramLabel = "<url>", defaultValue = "https://api.telegram.org",
            description = "The Bot API base URL, https:// (plain http only on this machine's loopback; default:"
                    + " ${DEFAULT-VALUE}).")
    String apiUrl;

    @Option(names = "--api-timeout", paramLabel = "<duration>", defaultValue = "10s",
            description = "How long one Bot API call may take; then exit code 6 (default: ${DEFAULT-VALUE}).")
    String apiTimeout;

    @Option(names = "--state-dir", paramLabel = "<dir>", defaultValue = "${env:BOTSHIFT_STATE_DIR:-.botshift}",
            description = "The state directory (default: ${DEFAULT-VALUE}; env BOTSHIFT_STATE_DIR). Local platform only.")
    Path stateDir;

    /** Where the token variable is read: the process's environment (a test's own map in tests). */
    Map<String, String> environment = System.getenv();

    /** The Bot API base URL, checked. */
    URI api() {
        return WebhookUrls.apiUrl(apiUrl);
    }

    /**
     * Everything checked before anything is sent or written.
     *
     * @param create whether the app's router folder may be created (a first {@code set})
     * @throws InvalidInputException naming the option or variable that is wrong, never a secret
     */
    WebhookRegistration registration(boolean create) {
        AppName.require(app);
        String token = BotTokenVariable.read("--token-env", tokenEnv, environment);
        if (!BotToken.wellFormed(token)) {
            throw new InvalidInputException("--token-env: environment variable " + tokenEnv
                    + " does not hold a bot token (digits, ':', then letters, digits, '_' or '-')");
        }
        Duration timeout;
        try {
            timeout = DurationText.parse(apiTimeout);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--api-timeout: " + e.getMessage());
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new InvalidInputException("--api-timeout: must be longer than 0");
        }
        if (create) {
            PrivateDirectory.ensure(stateDir.toAbsolutePath().normalize(), secretsFile().getParent());
        }
        return new WebhookRegistration(new WebhookApi(api(), new BotToken(token), timeout), secretsFile(),
                Clock.systemUTC());
    }

    /** Where the app's router reads the registered secrets: its own folder of the state directory. */
    Path secretsFile() {
        return stateDir.toAbsolutePath().normalize().resolve(app).resolve("router").resolve(WebhookSecrets.FILE_NAME);
    }
}
