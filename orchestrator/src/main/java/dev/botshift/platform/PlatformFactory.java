package dev.botshift.platform;

import dev.botshift.plan.Plan;
import java.io.PrintStream;

/** Opens the adapters a plan runs on. Production uses {@link Platforms#factory}; tests hand in their own. */
@FunctionalInterface
public interface PlatformFactory {
    /** @param progress where adapters report what they do (a process started, a changeset applied) */
    Platform open(Plan plan, PrintStream progress);
}
