package dev.botshift.traffic.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botshift.core.LocalFileException;
import dev.botshift.core.WebhookPlatform;
import dev.botshift.os.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Telegram webhook secrets Botshift generated for an app ({@code botshift webhook set|rotate}) and its router
 * accepts ({@code traffic.verify: {platform: telegram, secret: registered}}), kept in {@value #FILE_NAME} in the
 * router's folder of the state directory, mode {@code 0600}, like the {@link AdminToken}. Never printed:
 * {@link #toString()} says which secrets exist, not what they are.
 *
 * <p>A rotation never leaves a moment in which Telegram sends a secret the router refuses: first the new secret is
 * written as {@code next} (accepted beside {@code current}), then {@code setWebhook} registers it, then it becomes
 * {@code current} and the old one {@code previous}, still accepted until {@code previousUntil} (deliveries already in
 * flight carry it). A rotation cut short leaves {@code next} accepted: safe, and the next rotation replaces it.
 *
 * @param current       the secret registered with {@code setWebhook}
 * @param next          a secret being registered (a rotation in progress or cut short), or null
 * @param previous      the secret replaced by the last rotation, or null
 * @param previousUntil when {@code previous} stops being accepted (null when there is none)
 * @param since         when {@code current} was registered
 */
public record WebhookSecrets(String current, String next, String previous, Instant previousUntil, Instant since) {
    public static final String FILE_NAME = "webhook-secrets.json";
    /** 48 random bytes, 64 characters of base64url: within Telegram's 1–256 of A-Z a-z 0-9 _ -. */
    private static final int BYTES = 48;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WHAT = "webhook secrets file";

    public WebhookSecrets {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(since, "since");
        if ((previous == null) != (previousUntil == null)) {
            throw new IllegalArgumentException("previous and previousUntil go together");
        }
    }

    /** The secrets of a first registration. */
    public static WebhookSecrets first(String secret, Instant now) {
        return new WebhookSecrets(secret, null, null, null, now);
    }

    /** A fresh secret from {@link SecureRandom}, 64 characters Telegram accepts as {@code secret_token}. */
    public static String generate() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Step 1 of a rotation: {@code secret} is accepted beside the current one, before Telegram is told. */
    public WebhookSecrets withNext(String secret) {
        return new WebhookSecrets(current, secret, previous, previousUntil, since);
    }

    /** Step 3 of a rotation, once {@code setWebhook} took {@code next}: the old secret is accepted for {@code grace}. */
    public WebhookSecrets rotated(Instant now, Duration grace) {
        if (next == null) {
            throw new IllegalStateException("no rotation in progress");
        }
        return new WebhookSecrets(next, null, current, now.plus(grace), now);
    }

    /** The secrets a request may present at {@code now}. */
    public List<String> accepted(Instant now) {
        List<String> accepted = new ArrayList<>(List.of(current));
        if (next != null) {
            accepted.add(next);
        }
        if (previous != null && now.isBefore(previousUntil)) {
            accepted.add(previous);
        }
        return accepted;
    }

    /** Writes {@code file} atomically, readable by its owner only. */
    public void writeTo(Path file) {
        ObjectNode node = JSON.createObjectNode().put("current", current).put("since", since.toString());
        if (next != null) {
            node.put("next", next);
        }
        if (previous != null) {
            node.put("previous", previous).put("previousUntil", previousUntil.toString());
        }
        try {
            PrivateFiles.replace(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a JSON object", e);
        }
    }

    /**
     * The secrets in {@code file}, or empty when there is none (nothing registered yet).
     *
     * @throws LocalFileException (exit 2) naming the file, never a value: it is a link, not ours, readable by others
     *                            or not a secrets file
     */
    public static Optional<WebhookSecrets> read(Path file) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        byte[] bytes = PrivateFiles.readOwn(file, WHAT);
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw malformed(file, "not a JSON object");
            }
            String current = secret(file, node, "current", true);
            String next = secret(file, node, "next", false);
            String previous = secret(file, node, "previous", false);
            Instant until = instant(file, node, "previousUntil", previous != null);
            return Optional.of(new WebhookSecrets(current, next, previous, previous == null ? null : until,
                    instant(file, node, "since", true)));
        } catch (IOException e) {
            throw malformed(file, "not JSON");
        }
    }

    private static String secret(Path file, JsonNode node, String field, boolean required) {
        JsonNode value = field(file, node, field, required);
        if (value != null && (!value.isTextual() || !WebhookPlatform.TELEGRAM.acceptsSecret(value.asText()))) {
            throw malformed(file, "field " + field + " is not a telegram secret ("
                    + WebhookPlatform.TELEGRAM.secretRule() + ")");
        }
        return value == null ? null : value.asText();
    }

    private static Instant instant(Path file, JsonNode node, String field, boolean required) {
        JsonNode value = field(file, node, field, required);
        try {
            return value == null ? null : Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw malformed(file, "field " + field + " is not an instant (e.g. 2026-12-02T21:30:00Z)");
        }
    }

    /** The field's value, or null when it is absent and may be. */
    private static JsonNode field(Path file, JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if ((value == null || value.isNull()) && required) {
            throw malformed(file, "field " + field + " is missing");
        }
        return value == null || value.isNull() ? null : value;
    }

    private static LocalFileException malformed(Path file, String why) {
        return new LocalFileException(WHAT + " " + file + ": " + why + " (the file is Botshift's own: remove it"
                + " and run 'botshift webhook set' to register a new secret)");
    }

    @Override
    public String toString() {
        return "WebhookSecrets[current" + (next == null ? "" : ", next") + (previous == null ? "" : ", previous until "
                + previousUntil) + "]";
    }
}
