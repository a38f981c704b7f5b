package dev.botshift.workload.local;

import java.net.URI;
import java.util.List;

/**
 * Asks bots their health path, for a process that does not run them ({@code botshift up}, waiting for the app to
 * serve again): the same check the local workloads make, reading nothing and writing nothing of theirs.
 */
public final class BotHealth {
    /**
     * @param healthy the bots that answered 2xx within a second
     * @param problem what the last one that did not answer said, or null
     */
    public record Reading(int healthy, String problem) {
    }

    private BotHealth() {
    }

    public static Reading of(String healthPath, List<URI> bots) {
        HealthProbe.Health health = new HealthProbe(healthPath).check(bots);
        return new Reading(health.healthy(), health.problem());
    }
}
