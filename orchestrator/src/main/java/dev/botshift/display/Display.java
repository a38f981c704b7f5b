package dev.botshift.display;

import dev.botshift.rollout.RolloutListener;
import java.io.PrintStream;

/** What a person sees during a rollout: the events, and a stream for the adapters' progress lines. */
public interface Display extends RolloutListener {
    /** Where progress lines (a process started, a changeset applied) go, so they do not tear the live view. */
    PrintStream progress();
}
