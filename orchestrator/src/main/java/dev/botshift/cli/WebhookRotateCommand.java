package dev.botshift.cli;

import dev.botshift.core.DurationText;
import dev.botshift.core.InvalidInputException;
import dev.botshift.traffic.router.WebhookSecrets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code botshift webhook rotate}: a new secret, with no moment in which the router refuses Telegram's. */
@Command(name = "rotate", sortOptions = false,
        description = {"Replace the webhook's secret without refusing an update: the new secret is accepted by the"
                + " router before setWebhook registers it, and the old one for --grace after (deliveries already in"
                + " flight carry it). URL, allowed_updates, max_connections and pending updates are kept. A rotation"
                + " cut short (an error, a timeout) leaves both secrets accepted; run it again."},
        footer = {WebhookCommand.EXIT_0, WebhookCommand.EXIT_2, WebhookCommand.EXIT_2_MORE,
                WebhookCommand.EXIT_6, "", "Example: BOT_TOKEN=... botshift webhook rotate my-bot"})
final class WebhookRotateCommand implements Callable<Integer> {
    @Mixin
    WebhookOptions options;

    @Option(names = "--grace", paramLabel = "<duration>", defaultValue = "5m",
            description = "How long the old secret stays accepted (default: ${DEFAULT-VALUE}).")
    String grace;

    @Override
    public Integer call() {
        Duration keepOld;
        try {
            keepOld = DurationText.parse(grace);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--grace: " + e.getMessage());
        }
        if (keepOld.isNegative()) {
            throw new InvalidInputException("--grace: must not be negative");
        }
        WebhookSecrets now = options.registration(false).rotate(keepOld);
        System.out.println("webhook secret of " + options.app + " rotated: Telegram sends the new one from now on;"
                + " the previous one is accepted until " + now.previousUntil() + " (deliveries in flight)");
        return 0;
    }
}
