package dev.botshift.analysis;

/**
 * Resource signals of a colour's pods (Kubernetes): container restarts and OOM kills. Stateless: the judge keeps the
 * counts green started from ({@link CheckMemory}).
 */
public interface ResourceSignals {
    /** A platform that reports none (the local platform: its guard replaces a dead bot and says so in the history). */
    ResourceSignals NONE = target -> null;

    /** @return null when the platform has no such signals */
    PodReading read(MetricsTarget target);
}
