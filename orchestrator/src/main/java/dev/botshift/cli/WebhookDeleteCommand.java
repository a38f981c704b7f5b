package dev.botshift.cli;

import dev.botshift.traffic.webhook.WebhookInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code botshift webhook delete}: {@code deleteWebhook}, keeping pending updates unless asked. */
@Command(name = "delete", sortOptions = false,
        description = {"Delete the bot's webhook (deleteWebhook), so that it can be polled (traffic.source:"
                + " telegram-polling, docs/polling.md). Pending updates are kept and then polled, unless"
                + " --drop-pending-updates. The registered secret stays for a later 'set'."},
        footer = {WebhookCommand.EXIT_0, WebhookCommand.EXIT_2, WebhookCommand.EXIT_2_MORE,
                WebhookCommand.EXIT_6, "", "Example: BOT_TOKEN=... botshift webhook delete my-bot"})
final class WebhookDeleteCommand implements Callable<Integer> {
    @Mixin
    WebhookOptions options;

    @Option(names = "--drop-pending-updates",
            description = "Drop the updates waiting for delivery (default: keep them for getUpdates).")
    boolean dropPending;

    @Override
    public Integer call() {
        WebhookInfo info = options.registration(false).delete(dropPending);
        System.out.println("webhook of " + options.app + " deleted; " + info.pendingUpdateCount() + " pending updates"
                + (dropPending ? " (the others were dropped)" : " kept for getUpdates"));
        return 0;
    }
}
