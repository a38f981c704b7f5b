package dev.botshift.traffic.router;

import dev.botshift.core.InvalidInputException;
import dev.botshift.core.WebhookPlatform;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a webhook request was sent by the chat platform, before the router routes it. Comparisons take the
 * same time wherever the presented value differs ({@link MessageDigest#isEqual} on equal-length digests), so the
 * answer time does not tell an attacker how much of a guess was right. The secret comes from the router's
 * environment, or for Telegram from the secrets Botshift registered ({@link TelegramRegistered}), and is never
 * printed ({@link #toString()} names the platform only).
 */
public sealed interface WebhookVerifier {
    String TELEGRAM_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    String SLACK_SIGNATURE = "X-Slack-Signature";
    String SLACK_TIMESTAMP = "X-Slack-Request-Timestamp";
    String META_SIGNATURE = "X-Hub-Signature-256";
    Duration DEFAULT_MAX_SKEW = Duration.ofMinutes(5);

    /**
     * @param method  the HTTP method
     * @param query   the raw query string, or null
     * @param headers a header by (case-insensitive) name, or null
     * @param body    the whole request body
     * @return why the request is refused, or empty when it may be routed
     */
    Optional<Refusal> check(String method, String query, UnaryOperator<String> headers, byte[] body);

    /** {@code none}, or the platform's label. */
    String name();

    /**
     * The verifier for {@code platform}, with the secret read from {@code secretEnv} in {@code environment}.
     *
     * @throws InvalidInputException naming the variable (never its value) when it is unset or not a secret of that
     *                               platform
     */
    static WebhookVerifier of(WebhookPlatform platform, String secretEnv, java.util.Map<String, String> environment,
                              Duration maxSkew, Clock clock) {
        platform.secretProblem(secretEnv, environment, "the " + platform.label() + " webhook secret")
                .ifPresent(problem -> {
                    throw new InvalidInputException("--verify-secret-env: " + problem);
                });
        String secret = environment.get(secretEnv);
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        return switch (platform) {
            case TELEGRAM -> new Telegram(AdminToken.sha256(secret));
            case SLACK -> new Slack(key, maxSkew == null ? DEFAULT_MAX_SKEW : maxSkew, clock);
            case WHATSAPP -> new WhatsApp(key);
        };
    }

    /** No verification: every request is routed. */
    record None() implements WebhookVerifier {
        @Override
        public Optional<Refusal> check(String method, String query, UnaryOperator<String> headers, byte[] body) {
            return Optional.empty();
        }

        @Override
        public String name() {
            return "none";
        }
    }

    /** Telegram sends the {@code secret_token} given to {@code setWebhook} back in a header, as it is. */
    record Telegram(byte[] secretDigest) implements WebhookVerifier {
        @Override
        public Optional<Refusal> check(String method, String query, UnaryOperator<String> headers, byte[] body) {
            return telegram(headers, presented -> MessageDigest.isEqual(AdminToken.sha256(presented), secretDigest));
        }

        @Override
        public String name() {
            return WebhookPlatform.TELEGRAM.label();
        }

        @Override
        public String toString() {
            return "WebhookVerifier[telegram]";
        }
    }

    /**
     * Telegram with the secrets Botshift registered itself ({@code botshift webhook set|rotate}): the header must be
     * one of those the app's {@link WebhookSecretsFile} accepts now (two during a rotation).
     */
    record TelegramRegistered(WebhookSecretsFile secrets) implements WebhookVerifier {
        @Override
        public Optional<Refusal> check(String method, String query, UnaryOperator<String> headers, byte[] body) {
            return telegram(headers, secrets::accepts);
        }

        @Override
        public String name() {
            return WebhookPlatform.TELEGRAM.label();
        }

        @Override
        public String toString() {
            return "WebhookVerifier[telegram, registered secrets]";
        }
    }

    /**
     * Slack signs {@code v0:<X-Slack-Request-Timestamp>:<body>} with HMAC-SHA256 and the app's signing secret, sent
     * as {@code X-Slack-Signature: v0=<hex>}; a timestamp outside {@code maxSkew} of now is a replay.
     */
    record Slack(byte[] key, Duration maxSkew, Clock clock) implements WebhookVerifier {
        @Override
        public Optional<Refusal> check(String method, String query, UnaryOperator<String> headers, byte[] body) {
            String signature = headers.apply(SLACK_SIGNATURE);
            String timestamp = headers.apply(SLACK_TIMESTAMP);
            if (signature == null || timestamp == null) {
                return Optional.of(Refusal.MISSING);
            }
            long seconds;
            try {
                seconds = Long.parseLong(timestamp.trim());
            } catch (NumberFormatException e) {
                return Optional.of(Refusal.MISMATCH);
            }
            if (Math.abs(clock.instant().getEpochSecond() - seconds) > maxSkew.toSeconds()) {
                return Optional.of(Refusal.STALE);
            }
            byte[] base = ("v0:" + timestamp.trim() + ":").getBytes(StandardCharsets.UTF_8);
            String expected = "v0=" + HexFormat.of().formatHex(hmac(key, base, body));
            return sameText(expected, signature.trim().toLowerCase(Locale.ROOT))
                    ? Optional.empty() : Optional.of(Refusal.MISMATCH);
        }

        @Override
        public String name() {
            return WebhookPlatform.SLACK.label();
        }

        @Override
        public String toString() {
            return "WebhookVerifier[slack, maxSkew " + maxSkew + "]";
        }
    }

    /**
     * Meta (WhatsApp Cloud API) signs the body with HMAC-SHA256 and the app secret: {@code X-Hub-Signature-256:
     * sha256=<hex>}. Meta's subscription handshake ({@code GET ?hub.mode=subscribe&hub.verify_token=..}) carries no
     * body and no signature: it passes, for the bot to check its verify token and answer the challenge.
     */
    record WhatsApp(byte[] key) implements WebhookVerifier {
        @Override
        public Optional<Refusal> check(String method, String query, UnaryOperator<String> headers, byte[] body) {
            if ("GET".equals(method) && body.length == 0 && query != null && query.contains("hub.mode=subscribe")) {
                return Optional.empty();
            }
            String signature = headers.apply(META_SIGNATURE);
            if (signature == null) {
                return Optional.of(Refusal.MISSING);
            }
            String expected = "sha256=" + HexFormat.of().formatHex(hmac(key, new byte[0], body));
            return sameText(expected, signature.trim().toLowerCase(Locale.ROOT))
                    ? Optional.empty() : Optional.of(Refusal.MISMATCH);
        }

        @Override
        public String name() {
            return WebhookPlatform.WHATSAPP.label();
        }

        @Override
        public String toString() {
            return "WebhookVerifier[whatsapp]";
        }
    }

    /** Telegram's check: its header present, and a secret {@code accepts} takes. */
    private static Optional<Refusal> telegram(UnaryOperator<String> headers, java.util.function.Predicate<String> accepts) {
        String presented = headers.apply(TELEGRAM_HEADER);
        if (presented == null) {
            return Optional.of(Refusal.MISSING);
        }
        return accepts.test(presented) ? Optional.empty() : Optional.of(Refusal.MISMATCH);
    }

    private static byte[] hmac(byte[] key, byte[] prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    /** Constant-time: the digests of both have the same length whatever was presented. */
    private static boolean sameText(String expected, String presented) {
        return MessageDigest.isEqual(AdminToken.sha256(expected), AdminToken.sha256(presented));
    }
}
