package dev.botshift.traffic.webhook;

import dev.botshift.core.InvalidInputException;
import dev.botshift.traffic.router.WebhookSecrets;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Registers an app's Telegram webhook with a secret Botshift generated, and rotates that secret, in an order that
 * never lets Telegram send a secret the app's router refuses: the router accepts every secret in the
 * {@link WebhookSecrets} file, so a secret is written there before {@code setWebhook} is told of it, and an old one
 * stays there for a grace period after (deliveries already in flight carry it). The secret is never printed.
 */
public final class WebhookRegistration {
    private final WebhookApi api;
    private final Path secretsFile;
    private final Clock clock;

    public WebhookRegistration(WebhookApi api, Path secretsFile, Clock clock) {
        this.api = api;
        this.secretsFile = secretsFile;
        this.clock = clock;
    }

    /** What {@link #set} did. */
    public record Set(boolean newSecret, WebhookInfo info) {
    }

    /**
     * Points the bot's webhook at {@code url}. The registered secret is reused when there is one (changing the URL
     * is not a rotation); else a new one is generated and written first.
     *
     * @param allowedUpdates the update types, or null to keep Telegram's setting
     */
    public Set set(URI url, List<String> allowedUpdates, boolean dropPending) {
        Optional<WebhookSecrets> registered = WebhookSecrets.read(secretsFile);
        WebhookSecrets secrets = registered.orElseGet(() -> WebhookSecrets.first(WebhookSecrets.generate(),
                clock.instant()));
        if (registered.isEmpty()) {
            secrets.writeTo(secretsFile); // before Telegram knows it: the router accepts it from the first delivery
        }
        api.set(url, secrets.current(), allowedUpdates, null, dropPending);
        return new Set(registered.isEmpty(), api.info());
    }

    /**
     * Replaces the registered secret with a new one: the new one is accepted before {@code setWebhook} registers it,
     * the old one for {@code grace} after. The webhook's URL, {@code allowed_updates} and {@code max_connections} are
     * kept as {@code getWebhookInfo} reports them; pending updates are kept.
     *
     * @return the secrets now in the file (for their dates; never printed)
     * @throws InvalidInputException when nothing is registered or no webhook is set (nothing to rotate)
     */
    public WebhookSecrets rotate(Duration grace) {
        WebhookSecrets before = WebhookSecrets.read(secretsFile).orElseThrow(() -> new InvalidInputException(
                "no webhook secret is registered in " + secretsFile + ": run 'botshift webhook set' first"));
        WebhookInfo info = api.info();
        if (!info.set()) {
            throw new InvalidInputException("the bot has no webhook (it is polled): nothing to rotate; 'botshift"
                    + " webhook set' registers one");
        }
        WebhookSecrets during = before.withNext(WebhookSecrets.generate());
        during.writeTo(secretsFile);
        // if this fails or times out, 'during' stays: both secrets accepted, whichever Telegram now sends
        api.set(URI.create(info.url()), during.next(), info.allowedUpdates(), info.maxConnections(), false);
        WebhookSecrets after = during.rotated(clock.instant(), grace);
        after.writeTo(secretsFile);
        return after;
    }

    /** {@code deleteWebhook}; the registered secrets stay (a later {@code set} reuses them). */
    public WebhookInfo delete(boolean dropPending) {
        api.delete(dropPending);
        return api.info();
    }

    public WebhookInfo info() {
        return api.info();
    }

    /** The registered secrets, to describe (never to print). */
    public Optional<WebhookSecrets> secrets() {
        return WebhookSecrets.read(secretsFile);
    }
}
