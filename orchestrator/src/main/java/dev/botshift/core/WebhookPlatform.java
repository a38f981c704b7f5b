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

    /**
     * What is wrong with the secret {@code variable} holds in {@code environment}, in words that name the variable and
     * never the value: unset or empty (saying what it holds: {@code holds}), or not a secret of this platform; empty
     * when it is one. The one check for every place a secret comes from a variable.
     */
    public java.util.Optional<String> secretProblem(String variable, java.util.Map<String, String> environment,
                                                    String holds) {
        String value = environment.get(variable);
        if (value == null || value.isEmpty()) {
            return java.util.Optional.of("environment variable " + variable
                    + (value == null ? " is not set" : " is empty") + " (it holds " + holds + ")");
        }
        if (!acceptsSecret(value)) {
            return java.util.Optional.of("environment variable " + variable + " does not hold a " + label()
                    + " secret (" + secretRule + ")");
        }
        return java.util.Optional.empty();
    }

    /** What a secret must look like, for messages. */
    public String secretRule() {
        return secretRule;
    }
}
