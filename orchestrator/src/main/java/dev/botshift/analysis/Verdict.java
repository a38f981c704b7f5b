package dev.botshift.analysis;

/** The judge's answer for one interval: a closed set. */
public sealed interface Verdict {
    String reason();

    record Pass(String reason) implements Verdict { }

    record Fail(String reason) implements Verdict { }

    /** not enough evidence either way (e.g. too few requests); never fails a release */
    record Inconclusive(String reason) implements Verdict { }

    /** the metrics could not be read */
    record ProviderError(String reason) implements Verdict { }
}
