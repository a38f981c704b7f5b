package dev.botshift.plan;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;

import java.io.IOException;
import java.math.BigDecimal;

/** A rate written as a percentage ({@code 5%}) or a fraction ({@code 0.05}); read as the fraction. */
class PercentDeserializer extends TextValueDeserializer<Double> {

    PercentDeserializer() {
        super(Double.class, "not a percentage");
    }

    @Override
    String text(JsonParser p) throws IOException {
        return p.getText().trim();
    }

    @Override
    Double parse(String text) {
        return parseFraction(text);
    }

    /** {@code 5%} is 0.05, {@code 0.05} is 0.05. */
    static double parseFraction(String text) {
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
