package dev.botshift.core;

import java.time.Duration;
import java.util.Optional;

/**
 * How long a bot may be silent while answering a webhook before the Botshift router answers 504 for it: between two
 * reads, not for the whole answer, as nginx's {@code proxy_read_timeout}, whose default is this one's. A bot that works
 * before it answers (a model call, a slow API) has that long. The one source of the default and the bounds for the
 * router's {@code --answer-timeout} and the plan's {@code traffic.answerTimeout}.
 */
public final class AnswerTimeout {
    public static final Duration DEFAULT = Duration.ofSeconds(60);
    public static final Duration MIN = Duration.ofSeconds(1);
    public static final Duration MAX = Duration.ofHours(1);

    private AnswerTimeout() {
    }

    /** Why {@code timeout} cannot be one, or empty when it can. */
    public static Optional<String> problem(Duration timeout) {
        return timeout.compareTo(MIN) < 0 || timeout.compareTo(MAX) > 0
                ? Optional.of("must be 1s..1h, got " + DurationText.format(timeout)) : Optional.empty();
    }
}
