package dev.botshift.kubernetes.testing;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The CRUD mock logs every request at INFO through java.util.logging (not SLF4J): thousands of lines per rollout,
 * which cost seconds on a small machine. Held in a static field, since JUL keeps loggers only weakly.
 */
public final class QuietMockServer {
    private static final Logger MOCK = Logger.getLogger("io.fabric8.mockwebserver");

    private QuietMockServer() {
    }

    public static void warningsOnly() {
        MOCK.setLevel(Level.WARNING);
    }
}
