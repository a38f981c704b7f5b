package dev.botshift.traffic.polling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.HttpPostMultipartRequestDecoder;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Bot API call a bot made in its answer to a webhook (the Bot API's "making requests when getting updates"): the
 * answer's body names the method in its {@code method} parameter, as JSON, a form, or multipart form data. Telegram
 * performs such a call once the webhook is answered, and frameworks rely on it (Telegraf's {@code webhookReply}, on by
 * default, sends a handler's first call that way). Behind the bridge Telegram never sees the answer, so the bridge
 * performs the call itself, with the body and its type as the bot sent them; as with Telegram, the bot never learns
 * the result.
 *
 * @param method      the Bot API method, e.g. {@code sendMessage}
 * @param contentType the answer's {@code Content-Type}, sent on with the body
 * @param body        the answer's body, sent on as it is
 */
public record WebhookReply(String method, String contentType, byte[] body) {
    /**
     * The methods, in lower case (Bot API method names are case-insensitive), that decide how updates arrive: the
     * bridge's alone. Made for a bot they would confirm updates not yet delivered ({@code getUpdates}) or end polling
     * ({@code setWebhook}, {@code logOut}, {@code close}: every poll then gets 409 or 401).
     */
    static final java.util.Set<String> BRIDGES_OWN = java.util.Set.of("getupdates", "setwebhook", "deletewebhook",
            "logout", "close");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";
    private static final String FORM_TYPE = "application/x-www-form-urlencoded";
    private static final String MULTIPART_TYPE = "multipart/form-data";
    /** A Bot API method name: letters and digits, as every method the API has. */
    private static final Pattern METHOD = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,63}");

    /** Whether an answer of this {@code Content-Type} can name a call: JSON, a form or multipart form data. */
    static boolean mayCarryACall(String contentType) {
        return kind(contentType) != null;
    }

    /** The call an answer asks for, if it asks for one (a body without a valid {@code method} asks for none). */
    static Optional<WebhookReply> in(String contentType, byte[] body) {
        String kind = kind(contentType);
        if (kind == null || body == null || body.length == 0) {
            return Optional.empty();
        }
        String method = switch (kind) {
            case JSON_TYPE -> fromJson(body);
            case FORM_TYPE -> fromForm(new String(body, StandardCharsets.UTF_8));
            default -> fromMultipart(contentType, body);
        };
        return method != null && METHOD.matcher(method).matches()
                ? Optional.of(new WebhookReply(method, contentType, body)) : Optional.empty();
    }

    /** Whether the call decides how updates arrive ({@link #BRIDGES_OWN}): never made for a bot. */
    boolean takesOverUpdates() {
        return BRIDGES_OWN.contains(method.toLowerCase(Locale.ROOT));
    }

    /** The media type of {@code contentType} among the three that can carry a call, or null. */
    private static String kind(String contentType) {
        if (contentType == null) {
            return null;
        }
        String type = contentType.toLowerCase(Locale.ROOT).strip();
        for (String kind : new String[] {JSON_TYPE, FORM_TYPE, MULTIPART_TYPE}) {
            if (type.startsWith(kind)) {
                return kind;
            }
        }
        return null;
    }

    private static String fromJson(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.path("method").isTextual() ? node.path("method").asText() : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    /**
     * The value of the part named {@code method}, read by Netty's multipart decoder (in memory: the answer is already
     * bounded by the router): a file's content that looks like a part, or a part named {@code methodology}, is not it.
     */
    private static String fromMultipart(String contentType, byte[] body) {
        FullHttpRequest answer = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/",
                Unpooled.wrappedBuffer(body));
        answer.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpPostMultipartRequestDecoder decoder = null;
        try {
            decoder = new HttpPostMultipartRequestDecoder(new DefaultHttpDataFactory(false), answer,
                    StandardCharsets.UTF_8);
            return decoder.getBodyHttpData("method") instanceof Attribute a ? a.getValue() : null;
        } catch (IOException | RuntimeException malformed) {
            return null; // no boundary, a broken part: Telegram would refuse the call as well
        } finally {
            if (decoder != null) {
                decoder.destroy();
            }
            answer.release();
        }
    }

    private static String fromForm(String form) {
        try {
            return formMethod(form);
        } catch (IllegalArgumentException malformed) {
            return null; // a broken %-escape: Telegram would refuse the call as well
        }
    }

    private static String formMethod(String form) {
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (name.equals("method") && eq >= 0) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
