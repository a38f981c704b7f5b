package dev.botshift.core;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The chat platforms whose webhooks the Botshift router can verify, and what each accepts as a secret. Shared by the
 * plan (field {@code traffic.verify.platform}) and the router ({@code --verify}).
 */
public enum WebhookPlatform {
    /** {@code setWebhook secret_token}: 1 to 256 of A-Z a-z 0-9 _ -; sent back verbatim in a header. */
    TELEGRAM(Pattern.compile("[A-Za-z0-9_-]{1,256}"), "1 to 256 of A-Z a-z 0-9 _ -"),
    /** The app's signing secret (an HMAC key). */
    SLACK(Pattern.compile("\\S{1,1024}"), "1 to 1024 characters without spaces"),
    /** The Meta app secret (an HMAC key). */
    WHATSAPP(Pattern.compile("\\S{1,1024}"), "1 to 1024 characters without spaces");

    private final Pattern secret;
    private final String secretRule;

    WebhookPlatform(Pattern secret, String secretRule) {
        this.secret = secret;
        this.secretRule = secretRule;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> labels() {
        return Arrays.stream(values()).map(WebhookPlatform::label).toList();
    }

    public static Optional<WebhookPlatform> of(String label) {
        return Arrays.stream(values()).filter(p -> p.label().equals(label)).findFirst();
    }

    /** Whether {@code value} can be this platform's secret (never echoed: the caller names the variable only). */
    public boolean acceptsSecret(String value) {
        return value != null && secret.matcher(value).matches();
    }

    /** What a secret must look like, for messages. */
    public String secretRule() {
        return secretRule;
    }
}
