package dev.botshift.plan;

import dev.botshift.core.DurationText;

import java.time.Duration;

/** Durations as people write them in plan files: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h30m}. */
final class DurationDeserializer extends TextValueDeserializer<Duration> {

    DurationDeserializer() {
        super(Duration.class, "not a duration");
    }

    @Override
    Duration parse(String text) {
        return DurationText.parse(text);
    }
}
