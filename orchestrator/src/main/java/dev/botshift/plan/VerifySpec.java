package dev.botshift.plan;

import dev.botshift.core.WebhookPlatform;
import java.time.Duration;
import java.util.List;

/**
 * How the Botshift router checks that a webhook request comes from the chat platform, before routing it. A request
 * that fails is refused (401/403), never reaches a bot and is never counted as a colour's traffic.
 *
 * @param platform  {@code telegram} (header {@code X-Telegram-Bot-Api-Secret-Token} equals the secret),
 *                  {@code slack} ({@code X-Slack-Signature}: HMAC-SHA256 of {@code v0:<timestamp>:<body>}),
 *                  {@code whatsapp} ({@code X-Hub-Signature-256}: HMAC-SHA256 of the body with the app secret)
 * @param secretEnv the name of the environment variable holding the secret (the value is never in the plan)
 * @param secret    instead of {@code secretEnv}, telegram only: {@value #REGISTERED}, the secrets that
 *                  {@code botshift webhook set|rotate} generated and registered with {@code setWebhook}
 * @param maxSkew   slack only: how far {@code X-Slack-Request-Timestamp} may be from now (replay window; default 5m)
 */
public record VerifySpec(String platform, String secretEnv, String secret, Duration maxSkew) {
    public static final List<String> PLATFORMS = WebhookPlatform.labels();
    public static final String SLACK = WebhookPlatform.SLACK.label();
    public static final String REGISTERED = "registered";

    /** A secret from the environment. */
    public VerifySpec(String platform, String secretEnv, Duration maxSkew) {
        this(platform, secretEnv, null, maxSkew);
    }

    /** Whether the router takes the secrets {@code botshift webhook} registered rather than a variable's. */
    public boolean registered() {
        return secret != null;
    }
}
