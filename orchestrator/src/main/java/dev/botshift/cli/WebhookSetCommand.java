package dev.botshift.cli;

import dev.botshift.core.InvalidInputException;
import dev.botshift.traffic.router.RouterProcess;
import dev.botshift.traffic.webhook.WebhookRegistration;
import dev.botshift.traffic.webhook.WebhookUrls;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code botshift webhook set}: {@code setWebhook} with the router's public URL and the app's registered secret. */
@Command(name = "set", sortOptions = false,
        description = {"Point the bot's webhook at the router's public URL (setWebhook), with a secret_token Botshift"
                + " generates the first time and reuses after (use 'rotate' to replace it). The secret is written to"
                + " the app's state directory before Telegram is told of it, so a router verifying with"
                + " 'secret: registered' accepts the very first delivery. Pending updates are kept."},
        footer = {WebhookCommand.EXIT_0, WebhookCommand.EXIT_2, WebhookCommand.EXIT_2_MORE,
                WebhookCommand.EXIT_6, "", "Example: BOT_TOKEN=... botshift webhook set my-bot --url https://bots.example.com/telegram"})
final class WebhookSetCommand implements Callable<Integer> {
    private static final Pattern UPDATE_TYPE = Pattern.compile("[a-z_]{1,64}");

    @Mixin
    WebhookOptions options;

    @Option(names = "--url", required = true, paramLabel = "<url>",
            description = "The router's public https:// URL, as Telegram will post to it.")
    String url;

    @Option(names = "--allowed-updates", paramLabel = "<types>",
            description = "Comma-separated update types to deliver (allowed_updates); default: keep Telegram's setting.")
    String allowedUpdates;

    @Option(names = "--drop-pending-updates",
            description = "Drop the updates waiting for delivery (default: keep them).")
    boolean dropPending;

    @Option(names = "--force",
            description = "Set it even though the app's running router would not take the webhook (it polls, or does"
                    + " not verify with the registered secret): Telegram then keeps the updates and retries.")
    boolean force;

    @Override
    public Integer call() {
        var webhook = WebhookUrls.webhookUrl(url, options.api());
        List<String> types = allowedUpdates == null ? null
                : Arrays.stream(allowedUpdates.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
        if (types != null && types.stream().anyMatch(t -> !UPDATE_TYPE.matcher(t).matches())) {
            throw new InvalidInputException("--allowed-updates: must be update types such as message or"
                    + " callback_query, separated by commas, got '" + allowedUpdates + "'");
        }
        WebhookRegistration registration = options.registration(true);
        if (!force) {
            RouterProcess.attach(options.secretsFile().getParent()).ifPresent(this::refuseUnlessItTakesTheWebhook);
        }
        WebhookRegistration.Set done = registration.set(webhook, types, dropPending);
        System.out.println("webhook of " + options.app + " set to " + done.info().url() + " with "
                + (done.newSecret() ? "a new secret" : "the secret registered before") + " (in "
                + options.secretsFile() + ", never printed)");
        System.out.println("pending updates: " + done.info().pendingUpdateCount()
                + (dropPending ? " (the others were dropped)" : " (kept)"));
        System.out.println("the router accepts it when the plan says traffic.verify: {platform: telegram, secret:"
                + " registered}");
        return 0;
    }

    /**
     * A webhook the app's router cannot take would not lose updates (Telegram keeps them and retries) but would stall
     * them all: refused before anything is sent, with the step that was skipped (docs/polling.md).
     */
    private void refuseUnlessItTakesTheWebhook(RouterProcess router) {
        if (router.polls()) {
            throw new InvalidInputException("the router of " + options.app + " polls the Bot API (traffic.source:"
                    + " telegram-polling): with a webhook set its bridge gets 409 and delivers nothing, and it listens"
                    + " on 127.0.0.1 only. Deploy with traffic.source: webhook first (docs/polling.md), or --force");
        }
        if (!router.verifiesWith(options.secretsFile())) {
            throw new InvalidInputException("the router of " + options.app + " does not verify webhooks with the"
                    + " registered secret, so it would take no delivery or not check them: deploy with traffic.verify:"
                    + " {platform: telegram, secret: registered} first (docs/polling.md), or --force");
        }
    }
}
