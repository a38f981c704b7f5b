package dev.botshift.plan;

import com.fasterxml.jackson.databind.DeserializationContext;

/**
 * A limit of a custom check: any number ({@code 0.05}, {@code 3}, {@code 1.5e6}) or a percentage ({@code 5%}, read
 * as 0.05); absent stays null.
 */
final class OptionalNumberDeserializer extends TextValueDeserializer<Double> {

    OptionalNumberDeserializer() {
        super(Double.class, "not a number");
    }

    @Override
    Double parse(String text) {
        double value = PercentDeserializer.parseFraction(text.trim());
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("not a finite number");
        }
        return value;
    }

    @Override
    public Double getNullValue(DeserializationContext ctxt) {
        return null;
    }
}
