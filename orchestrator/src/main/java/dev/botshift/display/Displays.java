package dev.botshift.display;

import dev.botshift.rollout.RolloutSettings;
import java.io.PrintStream;

/** Picks the display: a live view in an interactive terminal, one plain line per event elsewhere (CI, pipes). */
public final class Displays {
    private Displays() {
    }

    public static Display forTerminal(PrintStream err, RolloutSettings settings) {
        boolean interactive = System.console() != null && !"dumb".equals(System.getenv("TERM"))
                && System.getenv("CI") == null && System.getenv("BOTSHIFT_PLAIN") == null;
        return interactive ? new LiveView(err, settings) : new EventLog(err);
    }
}
