package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code botshift demo --polling -o json}: the demo through the router's getUpdates bridge (docs/polling.md). */
class DemoPollingIT {
    /** Checks after the test that every process the demo started is gone. */
    @RegisterExtension
    final DemoIT.DemoRun demo = new DemoIT.DemoRun();

    /** The demo's command logs: removed with the test, whatever happens. */
    @org.junit.jupiter.api.io.TempDir
    Path logs;

    @Test
    void aPollingBotIsRolledBackAndPromotedWithoutALostUpdateOrA409() throws Exception {
        JsonNode messages = demo.run(logs, Duration.ofSeconds(360), "--polling").path("messages");

        assertThat(messages.path("conflicts").isIntegralNumber()).as("conflicts in %s", messages).isTrue();
        assertThat(messages.path("conflicts").asLong()).as("409s seen by anyone").isZero();
    }
}
