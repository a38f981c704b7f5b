package dev.botshift.workload.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The restart back-off as its record keeps it: doubling waits up to 5 minutes, and a clock set back. */
class RestartBackoffTest {
    private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");

    @Test
    void eachFailedStartDoublesTheWaitUpToFiveMinutes() {
        RestartBackoff b = RestartBackoff.NONE;
        assertThat(b.mayStart(T0)).isTrue();
        b = b.failedStart(T0);
        assertThat(b.waited(T0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.mayStart(T0.plusMillis(999))).isFalse();
        assertThat(b.mayStart(T0.plusSeconds(1))).isTrue();
        b = b.failedStart(T0).failedStart(T0);
        assertThat(b.failedStarts()).isEqualTo(3);
        assertThat(b.waited(T0)).isEqualTo(Duration.ofSeconds(4));
        for (int i = 0; i < 30; i++) {
            b = b.failedStart(T0);
        }
        assertThat(b.waited(T0)).isEqualTo(RestartBackoff.MAX);
    }

    /** A wait longer than any the back-off records cannot be one: the clock went back an hour since it was kept. */
    @Test
    void aClockSetBackDoesNotKeepADeadBotDownForLonger() {
        RestartBackoff b = RestartBackoff.NONE.failedStart(T0).failedStart(T0); // 2 s from T0
        Instant anHourBack = T0.minus(Duration.ofHours(1));
        assertThat(b.mayStart(anHourBack)).isTrue();
        assertThat(b.mayStart(T0.plusSeconds(1))).as("within the wait it recorded").isFalse();
    }

    @Test
    void anEditedRecordWithNonsenseCountsStillGivesABoundedWait() {
        assertThat(new RestartBackoff(-7, 0).failedStart(T0).waited(T0)).isEqualTo(RestartBackoff.FIRST);
        assertThat(new RestartBackoff(Integer.MAX_VALUE, 0).failedStart(T0).waited(T0)).isEqualTo(RestartBackoff.MAX);
    }
}
