package dev.botshift.cli;

import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Option;

/**
 * How long a command that follows a rollout to its end ({@code deploy}, {@code resume}) follows it: a CI job's own
 * limit ends the job without a word, this one with exit code 6 and where the rollout stands. Following is all it
 * limits: the rollout goes on under its supervisor (on Kubernetes the controller).
 */
final class FollowLimit {
    @Option(names = "--timeout", paramLabel = "<duration>", converter = StatusCommand.DurationConverter.class,
            description = "Stop following after this long (e.g. 30m) with exit code 6, saying where the rollout "
                    + "stands; it goes on under its supervisor ('botshift status <app> --watch' follows it again).")
    Duration timeout;

    /** When following ends, counted from now; null without {@code --timeout}. */
    Instant deadline() {
        return timeout == null ? null : Instant.now().plus(timeout);
    }
}
