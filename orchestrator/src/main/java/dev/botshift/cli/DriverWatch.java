package dev.botshift.cli;

import java.util.Optional;

/**
 * Whether something still drives an app's rollout, so that a follower never waits on a driver that is gone: the
 * app's supervisor process on the embedded default (and how it ended, when it recorded that), the controller's
 * leadership on Kubernetes.
 */
@FunctionalInterface
interface DriverWatch {
    /** Never gone: for tests and followers of a rollout driven in this very process. */
    DriverWatch NONE = Optional::empty;

    /** Empty while a driver runs; otherwise why following ends, and with which exit code. */
    Optional<Gone> gone();

    /** The driver is gone: following ends with {@code exitCode}, saying {@code message}. */
    record Gone(int exitCode, String message) {
    }
}
