package dev.botshift.plan;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;

import java.io.IOException;
import java.math.BigDecimal;

/** A rate written as a percentage ({@code 5%}) or a fraction ({@code 0.05}); read as the fraction. */
final class PercentDeserializer extends StdScalarDeserializer<Double> {

    PercentDeserializer() {
        super(Double.class);
    }

    @Override
    public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (!p.currentToken().isScalarValue()) {
            return (Double) ctxt.handleUnexpectedToken(Double.class, p);
        }
        String text = p.getText().trim();
        try {
            return parse(text);
        } catch (NumberFormatException e) {
            return (Double) ctxt.handleWeirdStringValue(Double.class, text, "not a percentage");
        }
    }

    /** {@code 5%} is 0.05, {@code 0.05} is 0.05. */
    static double parse(String text) {
        if (text.endsWith("%")) {
            return new BigDecimal(text.substring(0, text.length() - 1).trim()).movePointLeft(2).doubleValue();
        }
        return new BigDecimal(text).doubleValue();
    }

    @Override
    public Double getNullValue(DeserializationContext ctxt) {
        return 0.0;
    }
}
