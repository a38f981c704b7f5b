package dev.botshift.testing;

import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A test clock in UTC: Botshift only ever reads instants from its clock, so a zone change keeps the same clock. */
public abstract class UtcClock extends Clock {
    @Override
    public final ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public final Clock withZone(ZoneId zone) {
        return this;
    }
}
