package dev.botshift.plan;

import dev.botshift.plan.MetricCheckSpec.CounterSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules of {@code analysis.metrics} (the custom checks), each refusal at its field: a name that is unique and
 * safe to show, exactly one source that the platform can read, at least one limit that can be met.
 */
final class MetricChecksValidator {
    /** Shown in status, logs and events: plain words only. */
    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,62}");
    /** A Prometheus metric name. */
    static final Pattern METRIC = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]{0,199}");
    /** Each check costs a query or a scrape per colour per interval. */
    static final int MAX_CHECKS = 20;
    /** The query goes into a URL: a PromQL expression far longer than this is a mistake. */
    static final int MAX_QUERY = 4_000;

    private final Problems problems;

    private MetricChecksValidator(Problems problems) {
        this.problems = problems;
    }

    static void validate(AnalysisSpec a, boolean kubernetes, Problems problems) {
        if (a != null && a.provider() != null) {
            new MetricChecksValidator(problems).checks(a, kubernetes);
        }
    }

    private void checks(AnalysisSpec a, boolean kubernetes) {
        List<MetricCheckSpec> checks = a.metrics();
        if (!check("analysis.metrics", checks.size() <= MAX_CHECKS,
                "at most " + MAX_CHECKS + " checks (each is read for both colours every interval), got " + checks.size())) {
            return;
        }
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < checks.size(); i++) {
            String path = "analysis.metrics[" + i + "]";
            MetricCheckSpec c = checks.get(i);
            if (c == null) {
                problems.add(path, "expected a mapping with name, query or counter, and a limit; got nothing");
                continue;
            }
            if (present(path + ".name", c.name())
                    && check(path + ".name", NAME.matcher(c.name()).matches(),
                    "must be a letter, then at most 62 letters, digits, '.', '_' or '-'")) {
                Integer first = names.putIfAbsent(c.name(), i);
                check(path + ".name", first == null, "duplicate check name '" + c.name() + "' (also analysis.metrics["
                        + first + "])");
            }
            source(path, c, a, kubernetes);
            limits(path, c);
        }
    }

    private void source(String path, MetricCheckSpec c, AnalysisSpec a, boolean kubernetes) {
        boolean query = c.query() != null;
        boolean counter = c.counter() != null;
        if (!query && !counter) {
            problems.add(path, "needs query (a PromQL template, with provider prometheus) or counter (a pair of the"
                    + " bots' /metrics counters, on the local platform)");
            return;
        }
        if (!check(path, !(query && counter), "give query or counter, not both")) {
            return;
        }
        if (query) {
            String field = path + ".query";
            if (present(field, c.query())) {
                check(field, c.query().length() <= MAX_QUERY, "at most " + MAX_QUERY + " characters");
                check(field, AnalysisSpec.PROMETHEUS.equals(a.provider()), "a query needs Prometheus, and none is"
                        + " configured (provider is " + a.provider() + "): set analysis.prometheus, or on the local"
                        + " platform use counter (the bots' /metrics)");
            }
            return;
        }
        check(path + ".counter", !kubernetes, "counter reads the bots' /metrics from this machine, on the local"
                + " platform only; on kubernetes use query (PromQL)");
        CounterSpec pair = c.counter();
        boolean numerator = metric(path + ".counter.numerator", pair.numerator());
        boolean denominator = metric(path + ".counter.denominator", pair.denominator());
        if (numerator && denominator) {
            check(path + ".counter.denominator", !pair.numerator().equals(pair.denominator()),
                    "the same counter as the numerator: the ratio would always be 1");
        }
    }

    private boolean metric(String path, String name) {
        return present(path, name) && check(path, METRIC.matcher(name).matches(),
                "must be a Prometheus metric name (letters, digits, '_' and ':'), e.g. bot_requests_total");
    }

    private void limits(String path, MetricCheckSpec c) {
        if (c.max() == null && c.min() == null && c.maxIncreaseOverBaseline() == null) {
            problems.add(path, "needs a limit: max, min or maxIncreaseOverBaseline (or several)");
            return;
        }
        if (c.max() != null && c.min() != null) {
            check(path + ".min", c.min() <= c.max(), "is above max (" + c.min() + " > " + c.max()
                    + "): no value could pass");
        }
        if (c.maxIncreaseOverBaseline() != null) {
            check(path + ".maxIncreaseOverBaseline", c.maxIncreaseOverBaseline() >= 0, "must not be negative");
        }
    }

    private boolean present(String path, String value) {
        return check(path, value != null && !value.isBlank(), "required field is missing or empty");
    }

    private boolean check(String path, boolean ok, String message) {
        if (!ok) {
            problems.add(path, message);
        }
        return ok;
    }
}
