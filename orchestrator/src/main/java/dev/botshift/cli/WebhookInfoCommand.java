package dev.botshift.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botshift.traffic.router.WebhookSecrets;
import dev.botshift.traffic.webhook.WebhookInfo;
import dev.botshift.traffic.webhook.WebhookRegistration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code botshift webhook info}: {@code getWebhookInfo} and the registered secret's dates, never a secret. */
@Command(name = "info", sortOptions = false,
        description = {"Show the bot's webhook (getWebhookInfo: URL, pending updates, the last delivery error) and"
                + " when its secret was registered or rotated; never the secret or the token."},
        footer = {WebhookCommand.EXIT_0, WebhookCommand.EXIT_2, WebhookCommand.EXIT_2_MORE, WebhookCommand.EXIT_6})
final class WebhookInfoCommand implements Callable<Integer> {
    @Mixin
    WebhookOptions options;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            description = "text or json (one object).")
    Output output;

    @Override
    public Integer call() throws Exception {
        WebhookRegistration registration = options.registration(false);
        WebhookInfo info = registration.info();
        Optional<WebhookSecrets> secrets = registration.secrets();
        if (output == Output.json) {
            ObjectMapper json = new ObjectMapper();
            ObjectNode node = json.createObjectNode().put("app", options.app).put("url", info.url())
                    .put("pendingUpdateCount", info.pendingUpdateCount())
                    .put("lastErrorDate", info.lastErrorDate() == null ? null : info.lastErrorDate().toString())
                    .put("lastErrorMessage", info.lastErrorMessage()).put("maxConnections", info.maxConnections());
            if (info.allowedUpdates() == null) {
                node.putNull("allowedUpdates");
            } else {
                info.allowedUpdates().forEach(node.putArray("allowedUpdates")::add);
            }
            ObjectNode secret = node.putObject("secret").put("registered", secrets.isPresent());
            secrets.ifPresent(s -> secret.put("since", s.since().toString())
                    .put("previousAcceptedUntil", s.previous() == null ? null : s.previousUntil().toString())
                    .put("rotationCutShort", s.next() != null));
            System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(node));
            return 0;
        }
        System.out.println("url:              " + (info.set() ? info.url() : "(none: the bot is polled)"));
        System.out.println("pending updates:  " + info.pendingUpdateCount());
        System.out.println("last error:       " + (info.lastErrorDate() == null ? "none"
                : info.lastErrorDate() + " " + info.lastErrorMessage()));
        if (info.maxConnections() != null) {
            System.out.println("max connections:  " + info.maxConnections());
        }
        System.out.println("allowed updates:  " + (info.allowedUpdates() == null ? "Telegram's default"
                : String.join(", ", info.allowedUpdates())));
        System.out.println("secret:           " + secrets.map(s -> "registered " + s.since()
                + (s.previous() == null ? "" : "; the previous one accepted until " + s.previousUntil())
                + (s.next() == null ? "" : "; a rotation was cut short (both accepted): run 'botshift webhook rotate'"))
                .orElse("none registered (" + options.secretsFile() + ")"));
        return 0;
    }
}
