package dev.botshift.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Bot API's wire format as {@link FakeTelegramApi} serves it: a call's parameters come from the query string and
 * from a JSON or form body, like the real API's; every answer is {@code {"ok": true, "result": …}} or
 * {@code {"ok": false, "error_code": …, "description": …}}, sent with the error code as the HTTP status.
 */
final class BotApiWire {
    static final ObjectMapper JSON = new ObjectMapper();

    private BotApiWire() {
    }

    /**
     * A call's body is read up to this: the Bot API's calls the fake serves carry a few KiB (a message's text is at
     * most 4,096 characters), and it listens where any local user may send it anything.
     */
    static final int MAX_BODY_BYTES = 1 << 20;

    /** The call's parameters; null when its body is over {@link #MAX_BODY_BYTES} (answered 413, as the real API does). */
    static Map<String, JsonNode> params(HttpExchange exchange) throws IOException {
        Map<String, JsonNode> params = new TreeMap<>();
        form(exchange.getRequestURI().getRawQuery(), params);
        byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            return null;
        }
        String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
        if (body.length > 0 && type.startsWith("application/json")) {
            parse(new String(body, StandardCharsets.UTF_8)).fields()
                    .forEachRemaining(e -> params.put(e.getKey(), e.getValue()));
        } else if (body.length > 0) {
            form(new String(body, StandardCharsets.UTF_8), params);
        }
        return params;
    }

    private static void form(String raw, Map<String, JsonNode> into) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            into.put(name, JSON.getNodeFactory().textNode(value));
        }
    }

    /** A parameter that holds JSON (a form field carries it as text); an empty object when it is not JSON. */
    static JsonNode json(JsonNode param) {
        return param.isTextual() ? parse(param.asText()) : param;
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    static ObjectNode ok(JsonNode result) {
        ObjectNode answer = JSON.createObjectNode().put("ok", true);
        answer.set("result", result);
        return answer;
    }

    /** {@code ok(true)} with the real API's {@code description}, as {@code setWebhook} answers. */
    static ObjectNode done(String description) {
        return ok(JSON.getNodeFactory().booleanNode(true)).put("description", description);
    }

    static ObjectNode error(int code, String description) {
        return JSON.createObjectNode().put("ok", false).put("error_code", code).put("description", description);
    }

    /** Sends {@code answer} with the status it carries: 200 when ok, else its error code. */
    static void reply(HttpExchange exchange, ObjectNode answer) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(answer);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.path("ok").asBoolean() ? 200 : answer.path("error_code").asInt(),
                bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
