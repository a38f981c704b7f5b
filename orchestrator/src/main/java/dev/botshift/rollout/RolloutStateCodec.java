package dev.botshift.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The state document's JSON form. The stores keep it opaque; only the rollout knows its shape. */
public final class RolloutStateCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private RolloutStateCodec() {
    }

    public static String encode(RolloutState state) {
        return write(state, "the rollout state");
    }

    public static RolloutState decode(String json) {
        try {
            return MAPPER.readValue(json, RolloutState.class);
        } catch (ValueInstantiationException e) {
            // a record refusing a null it cannot be without (its compact constructor names the field)
            throw new CorruptStateException(e.getCause() instanceof NullPointerException missing
                    ? "it has no " + where(e) + missing.getMessage() : e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new CorruptStateException(e.getOriginalMessage());
        }
    }

    /** Where in the document the record that refused is: {@code history[3].} for the fourth event, empty at the top. */
    private static String where(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "" : path + ".";
    }

    public static String encodeRequest(Request request) {
        return write(request, "a request");
    }

    /** Our own records always encode: a failure is a bug, not input to report. */
    private static String write(Object value, String what) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + what, e);
        }
    }

    /** A request from the inbox, or null when it does not decode (written by hand, or by another version). */
    public static Request decodeRequest(String json) {
        if (json == null) {
            return null;
        }
        try {
            Request r = MAPPER.readValue(json, Request.class);
            return r.id() == null || r.kind() == null ? null : r;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The shared mapper, for JSON output of status and events. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * A state document that does not decode: someone edited it by hand, or a newer Botshift wrote it. Exit 2, as
     * other input Botshift cannot use: nothing was changed, and the message says what to do.
     */
    public static final class CorruptStateException extends dev.botshift.core.BotshiftException {
        CorruptStateException(String detail) {
            super(dev.botshift.core.ExitCode.INVALID_INPUT, "the stored rollout state cannot be read (" + detail + "): it was edited by hand or written by "
                    + "another Botshift version. Put back a backup, or run the Botshift that wrote it; see "
                    + "docs/runbook.md");
        }
    }
}
