package dev.botshift.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The custom checks ({@code analysis.metrics}) and the resource signals for one interval, and how they join the
 * judge's verdict. Pure: the providers fetch the readings ({@link ChecksSeen}), this judges them.
 *
 * <p>Every check is judged and recorded; a dry-run check never reaches the verdict. Of the others: one that fails
 * fails the interval, whatever the error rate said; otherwise one that cannot be read or has no data keeps a
 * passing interval from being a pass (inconclusive, or a provider error).
 */
public final class Checks {
    /** The name green's restarts are shown under; a space keeps it apart from every plan check's name. */
    public static final String RESTARTS = "bot restarts";

    private Checks() {
    }

    /**
     * @param results one per check in the plan's order, then {@link #RESTARTS} when the platform reports restarts
     * @param memory  for the next interval
     */
    public record Outcome(List<CheckResult> results, CheckMemory memory) {
        public Outcome {
            results = List.copyOf(results);
        }
    }

    /**
     * @param seen       this interval's readings; null when nothing was read (the memory stays)
     * @param minSamples the denominator's increase a counter check's window needs ({@code analysis.minRequests})
     */
    public static Outcome judge(List<MetricCheck> checks, ChecksSeen seen, CheckMemory memory, int minSamples) {
        CheckMemory before = memory == null ? CheckMemory.EMPTY : memory;
        if (seen == null) {
            return new Outcome(List.of(), before);
        }
        List<CheckResult> results = new ArrayList<>();
        Map<String, CheckWindow> windows = new HashMap<>(before.windows());
        for (MetricCheck c : checks) {
            CheckRule.Judged j = CheckRule.judge(c, seen.green().get(c.name()), seen.blue().get(c.name()),
                    windows.get(c.name()), minSamples);
            results.add(j.result());
            if (j.window() != null) {
                windows.put(c.name(), j.window());
            }
        }
        Map<String, Integer> baselines = before.restartBaselines();
        RestartRule.Judged restarts = RestartRule.judge(seen.pods(), baselines);
        if (restarts != null) {
            results.add(restarts.result());
            baselines = restarts.baselines();
        }
        return new Outcome(results, new CheckMemory(windows, baselines));
    }

    /** The interval's verdict: the judge's, failed by a failing check, held back from a pass by one without data. */
    public static Verdict combine(Verdict main, Outcome outcome) {
        List<CheckResult> acting = outcome.results().stream().filter(r -> !r.dryRun()).toList();
        List<CheckResult> failed = acting.stream().filter(r -> r.verdict() == Verdict.Kind.FAIL).toList();
        if (!failed.isEmpty()) {
            String text = failed.stream().map(r -> "check " + r.name() + " failed: " + r.reason())
                    .collect(Collectors.joining("; "));
            return main instanceof Verdict.Fail f ? new Verdict.Fail(f.reason() + "; " + text, f.weight(), f.decisive())
                    : new Verdict.Fail(text + " (" + main.reason() + ")");
        }
        if (!(main instanceof Verdict.Pass)) {
            return main;
        }
        for (Verdict.Kind kind : List.of(Verdict.Kind.PROVIDER_ERROR, Verdict.Kind.INCONCLUSIVE)) {
            for (CheckResult r : acting) {
                if (r.verdict() == kind) {
                    String text = "check " + r.name() + ": " + r.reason() + " (" + main.reason() + ")";
                    return kind == Verdict.Kind.PROVIDER_ERROR ? new Verdict.ProviderError(text)
                            : new Verdict.Inconclusive(text);
                }
            }
        }
        return acting.isEmpty() ? main : new Verdict.Pass(main.reason() + "; checks pass: "
                + acting.stream().map(CheckResult::name).collect(Collectors.joining(", ")));
    }
}
