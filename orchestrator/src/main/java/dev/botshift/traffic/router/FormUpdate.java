package dev.botshift.traffic.router;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A form post's conversation key: Slack's slash commands and interactions (buttons, menus, modals) come as
 * {@code application/x-www-form-urlencoded}, not JSON. An interaction's {@code payload} field is JSON and is read as a
 * JSON body is; otherwise the form's fields are members of one flat object, so a one-member path of {@code stickyBy}
 * ({@code $.channel_id}) names a field. Before, every form post counted as not JSON: split at random, a slash command
 * and the button pressed on its answer could reach different colours, and the judge left them out. A field given twice
 * names no conversation (the bots' form parsers differ: the first, the last, a list), and a {@code payload} given
 * twice is not read; a JSON body's member given twice takes the last value, as JSON parsers do.
 */
final class FormUpdate {
    /** A slash command has about a dozen fields; a form with more than this many is read no further. */
    static final int MAX_FIELDS = 256;
    /** Where Slack puts an interaction's JSON. */
    private static final String PAYLOAD = "payload";

    private FormUpdate() {
    }

    /** Whether the request says its body is a URL-encoded form (parameters and case aside). */
    static boolean isForm(HttpHeaders headers) {
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null) {
            return false;
        }
        int semicolon = type.indexOf(';');
        return AsciiString.contentEqualsIgnoreCase(HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED,
                (semicolon < 0 ? type : type.substring(0, semicolon)).strip());
    }

    /** What the form {@code body} holds: its conversation key, or why it is not a valid update. */
    static InvalidUpdate.Reading read(byte[] body, StickyField sticky) {
        Map<String, List<String>> fields;
        try {
            // the body is ASCII by its media type; QueryStringDecoder decodes each %XX sequence as UTF-8
            fields = new QueryStringDecoder(new String(body, StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8,
                    false, MAX_FIELDS).parameters();
        } catch (IllegalArgumentException undecodable) { // a broken %-escape
            return InvalidUpdate.NOT_JSON_READING;
        }
        if (fields.isEmpty()) {
            return InvalidUpdate.NOT_JSON_READING;
        }
        List<String> payload = fields.getOrDefault(PAYLOAD, List.of());
        if (!payload.isEmpty()) {
            return payload.size() > 1 ? InvalidUpdate.NOT_JSON_READING
                    : InvalidUpdate.read(payload.get(0).getBytes(StandardCharsets.UTF_8), sticky);
        }
        if (sticky == null) {
            return new InvalidUpdate.Reading(Optional.empty(), null);
        }
        for (List<String> path : sticky.names()) {
            List<String> values = path.size() == 1 ? fields.getOrDefault(path.get(0), List.of()) : List.of();
            if (values.size() > 1) {
                break; // given twice: which one the bot reads depends on its form parser (first, last, a list)
            }
            if (values.size() == 1 && !values.get(0).isEmpty()) {
                return new InvalidUpdate.Reading(Optional.of(values.get(0)), null); // the first path present
            }
        }
        return new InvalidUpdate.Reading(Optional.empty(), InvalidUpdate.NO_STICKY_KEY);
    }
}
