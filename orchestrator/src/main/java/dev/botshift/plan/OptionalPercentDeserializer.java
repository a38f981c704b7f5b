package dev.botshift.plan;

import com.fasterxml.jackson.databind.DeserializationContext;

/** A percentage that may be left out: absent (or null) stays null, where {@link PercentDeserializer} reads 0. */
final class OptionalPercentDeserializer extends PercentDeserializer {

    @Override
    public Double getNullValue(DeserializationContext ctxt) {
        return null;
    }
}
