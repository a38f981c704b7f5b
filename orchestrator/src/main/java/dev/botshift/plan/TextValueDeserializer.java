package dev.botshift.plan;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;

import java.io.IOException;

/**
 * A plan value people write as text ({@code 10s}, {@code 5%}): a value that is not a scalar, or a text that does not
 * parse, goes to the plan's problem handler (PlanBinder), which names the field.
 */
abstract class TextValueDeserializer<T> extends StdScalarDeserializer<T> {
    private final Class<T> type;
    private final String what;

    /** @param what what a text that does not parse is not, e.g. {@code not a duration} */
    TextValueDeserializer(Class<T> type, String what) {
        super(type);
        this.type = type;
        this.what = what;
    }

    /** @throws IllegalArgumentException when {@code text} is not a value of the type */
    abstract T parse(String text);

    /** The text as it is reported when it does not parse. */
    String text(JsonParser p) throws IOException {
        return p.getText();
    }

    @Override
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (!p.currentToken().isScalarValue()) {
            return type.cast(ctxt.handleUnexpectedToken(type, p));
        }
        String text = text(p);
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            return type.cast(ctxt.handleWeirdStringValue(type, text, what));
        }
    }
}
