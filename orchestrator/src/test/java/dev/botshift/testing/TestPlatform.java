package dev.botshift.testing;

import dev.botshift.platform.Platform;
import dev.botshift.rollout.Ports;
import dev.botshift.rollout.RolloutListener;
import dev.botshift.state.StateStore;
import java.util.List;

/** A platform of ports a test assembled; closing it closes nothing (the test owns what it made). */
public record TestPlatform(Ports ports, List<RolloutListener> listeners) implements Platform {
    public TestPlatform(Ports ports) {
        this(ports, List.of());
    }

    @Override
    public StateStore store() {
        return ports.store();
    }

    @Override
    public void close() {
    }
}
