package dev.botshift.analysis;

/**
 * Resource signals of a colour's bots: their restarts (Kubernetes: a pod's container restarted or OOM-killed; the
 * embedded default: an instance that died). Stateless: the judge keeps the counts green started from
 * ({@link CheckMemory}).
 */
public interface ResourceSignals {
    /** A platform that reports none (tests that judge without them). */
    ResourceSignals NONE = target -> null;

    /** @return null when the platform has no such signals */
    RestartReading read(MetricsTarget target);
}
