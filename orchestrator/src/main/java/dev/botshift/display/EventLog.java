package dev.botshift.display;

import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutState;
import java.io.PrintStream;

/** One plain line per event: what CI logs want. */
public final class EventLog implements Display {
    private final PrintStream out;

    public EventLog(PrintStream out) {
        this.out = out;
    }

    @Override
    public PrintStream progress() {
        return out;
    }

    @Override
    public void onEvent(RolloutEvent event, RolloutState state) {
        out.println(event.at() + " " + state.app() + " " + state.release() + " [" + state.phase().code() + "] "
                + dev.botshift.core.VisibleText.of(event.describe()));
    }
}
