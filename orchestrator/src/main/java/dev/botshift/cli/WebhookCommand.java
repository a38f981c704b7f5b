package dev.botshift.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code botshift webhook}: the bot's Telegram webhook, registered with a secret the app's router verifies. */
@Command(name = "webhook",
        description = {"Register, rotate, delete or show a Telegram bot's webhook (docs/polling.md).",
                "'set' points the webhook at the router's public URL with a secret Botshift generates (never printed;"
                        + " kept mode 600 in the app's state directory), which the router checks when the plan says"
                        + " traffic.verify: {platform: telegram, secret: registered}. 'rotate' replaces the secret"
                        + " without refusing an update. 'delete' keeps pending updates unless asked."},
        subcommands = {WebhookSetCommand.class, WebhookRotateCommand.class, WebhookDeleteCommand.class,
                WebhookInfoCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {WebhookCommand.EXIT_0, WebhookCommand.EXIT_2, WebhookCommand.EXIT_2_MORE, WebhookCommand.EXIT_6})
final class WebhookCommand implements Runnable {
    // every webhook command's footer (a footer replaces the inherited exit codes)
    static final String EXIT_0 = "  0  done";
    static final String EXIT_2 = "  2  invalid input (a URL, the token variable, no secret registered) or the Bot API"
            + " refused the call or";
    static final String EXIT_2_MORE = "     cannot be reached; the message names the method and the API's base URL,"
            + " never the token";
    static final String EXIT_6 = "  6  the Bot API did not answer within --api-timeout ('botshift webhook info' tells"
            + " what it did)";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a webhook command is required: set, rotate, delete or info");
    }
}
