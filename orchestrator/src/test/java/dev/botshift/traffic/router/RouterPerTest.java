package dev.botshift.traffic.router;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test against a fresh {@link RouterFixture} for every test, its config file in the test's own folder. A subclass
 * that needs the router to verify webhooks names its verifier; its own {@code @BeforeEach} runs after the start.
 */
abstract class RouterPerTest {
    @TempDir
    Path dir;
    RouterFixture fixture;

    /** What the router checks before routing a webhook: by default, nothing. */
    WebhookVerifier verifier() {
        return new WebhookVerifier.None();
    }

    @BeforeEach
    void startRouter() {
        fixture = new RouterFixture(dir, verifier());
    }

    @AfterEach
    void stopRouter() {
        fixture.close();
    }
}
