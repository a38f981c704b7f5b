package dev.botshift.plan;

import dev.botshift.core.BotTokenShape;
import dev.botshift.core.StickyPaths;
import dev.botshift.core.WebhookPlatform;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules a bound plan must follow beyond its types. Every broken rule is reported, at the line of its field;
 * a field that already has a binding problem is not reported twice.
 */
final class PlanValidator {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    // The release becomes a Kubernetes label value and part of process names.
    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    private static final Pattern API_URL = Pattern.compile("https?://[A-Za-z0-9.\\[\\]:-]+(/[A-Za-z0-9._~/-]*)?");
    private static final Pattern UPDATE_TYPE = Pattern.compile("[a-z_]{1,64}");

    private final Problems problems;

    private PlanValidator(Problems problems) {
        this.problems = problems;
    }

    static void validate(Plan plan, Problems problems) {
        new PlanValidator(problems).plan(plan);
    }

    /**
     * The rules that need the environment: the webhook secret {@code traffic.verify.secretEnv} names must be set and
     * fit its platform (checked when the plan is read, so a deploy never starts a router that refuses every update).
     */
    static void validateSecrets(Plan plan, Map<String, String> environment, Problems problems) {
        appPassword(plan, environment, problems);
        PollingSpec polling = plan.traffic() == null ? null : plan.traffic().polling();
        if (polling != null && plan.traffic().polls() && polling.tokenEnv() != null
                && EnvReferences.NAME.matcher(polling.tokenEnv()).matches()) {
            String token = environment.get(polling.tokenEnv());
            if (token == null || token.isBlank()) {
                problems.add("traffic.polling.tokenEnv", "environment variable " + polling.tokenEnv()
                        + (token == null ? " is not set" : " is empty") + " (it holds the bot token)");
            } else if (!BotTokenShape.matches(token)) {
                problems.add("traffic.polling.tokenEnv", "environment variable " + polling.tokenEnv()
                        + " does not hold a bot token (digits, ':', then letters, digits, '_' or '-')");
            }
        }
        if (polling != null && plan.traffic().polls() && polling.secretEnv() != null
                && EnvReferences.NAME.matcher(polling.secretEnv()).matches()) {
            WebhookPlatform.TELEGRAM.secretProblem(polling.secretEnv(), environment, "the secret the deliveries carry")
                    .ifPresent(problem -> problems.add("traffic.polling.secretEnv", problem));
        }
        VerifySpec v = plan.traffic() == null ? null : plan.traffic().verify();
        if (v == null || v.secretEnv() == null || !EnvReferences.NAME.matcher(v.secretEnv()).matches()) {
            return;
        }
        String value = environment.get(v.secretEnv());
        String path = "traffic.verify.secretEnv";
        if (value == null || value.isEmpty()) {
            problems.add(path, "environment variable " + v.secretEnv() + (value == null ? " is not set" : " is empty")
                    + " (it holds the webhook secret)");
            return;
        }
        WebhookPlatform.of(v.platform()).filter(p -> !p.acceptsSecret(value)).ifPresent(p ->
                problems.add(path, "environment variable " + v.secretEnv() + " does not hold a " + p.label()
                        + " secret (" + p.secretRule() + ")"));
    }

    /** The bots' password variable must be set: a bot that cannot log in is found now, not at green's deadline. */
    private static void appPassword(Plan plan, Map<String, String> environment, Problems problems) {
        AppUserSpec app = plan.database() == null ? null : plan.database().app();
        if (app == null || app.passwordEnv() == null || !EnvReferences.NAME.matcher(app.passwordEnv()).matches()) {
            return;
        }
        if (environment.get(app.passwordEnv()) == null) {
            problems.add("database.app.passwordEnv", "environment variable " + app.passwordEnv()
                    + " is not set (it holds the password of the bots' database user)");
        }
    }

    private void plan(Plan plan) {
        if (required("name", plan.name())) {
            check("name", AppName.valid(plan.name()), AppName.RULE);
        }
        if (required("release", plan.release())) {
            check("release", LABEL_VALUE.matcher(plan.release()).matches(),
                    "must be at most 63 letters, digits, '.', '_' or '-', starting and ending with a letter or digit");
        }
        positive("bake", plan.bake());
        required("approval", plan.approval());
        database(plan);
        boolean kubernetes = workload(plan.workload());
        traffic(plan.traffic(), kubernetes);
        analysis(plan.analysis());
        MetricChecksValidator.validate(plan.analysis(), kubernetes, problems);
        handover(plan, kubernetes);
        if (plan.notifications() != null && required("notify.webhookUrlEnv", plan.notifications().webhookUrlEnv())) {
            check("notify.webhookUrlEnv", EnvReferences.NAME.matcher(plan.notifications().webhookUrlEnv()).matches(),
                    "must be the name of an environment variable (the URL itself is a secret)");
        }
    }

    private void database(Plan plan) {
        DatabaseSpec db = plan.database();
        if (db == null) {
            missing("database");
            return;
        }
        if (required("database.url", db.url())) {
            check("database.url", db.url().startsWith("jdbc:postgresql:"), "must start with 'jdbc:postgresql:'");
        }
        if (required("database.changelog", db.changelog())
                && check("database.changelog", isPath(db.changelog()), "not a valid file path")) {
            Path changelog = plan.resolve(db.changelog());
            check("database.changelog", Files.isRegularFile(changelog), (Files.exists(changelog)
                    ? "not a regular file (a directory, a pipe or a device): " : "no such file: ") + changelog);
        }
        positive("database.lockTimeout", db.lockTimeout());
        positive("database.ddlDeadline", db.ddlDeadline());
        if (db.phases() != null && check("database.phases", isPath(db.phases()), "not a valid file path")) {
            check("database.phases", Files.isRegularFile(plan.resolve(db.phases())),
                    "no such file: " + plan.resolve(db.phases()));
        }
        existing(plan, "database.searchPath", db.searchPath(), "folder or jar");
        existing(plan, "database.classpath", db.classpath(), "jar or class folder");
        if (db.app() != null) {
            if (required("database.app.username", db.app().username())) {
                check("database.app.username", !db.app().username().isBlank(), "must not be blank");
            }
            if (db.app().passwordEnv() != null) {
                check("database.app.passwordEnv", EnvReferences.NAME.matcher(db.app().passwordEnv()).matches(),
                        "must be the name of an environment variable (the password itself is a secret)");
            }
        }
        for (Map.Entry<String, String> e : db.parameters().entrySet()) {
            String path = "database.parameters." + e.getKey();
            check(path, PARAMETER_NAME.matcher(e.getKey()).matches(),
                    "not a changelog parameter name (letters, digits, '.', '_', '-')");
            check(path, e.getValue() != null, "needs a value (write '' for an empty one)");
        }
    }

    /** Each element is an existing file or folder, relative to the plan's home (these are not kept with a release). */
    private void existing(Plan plan, String field, List<String> paths, String what) {
        for (int i = 0; i < paths.size(); i++) {
            String path = field + "[" + i + "]";
            if (required(path, paths.get(i)) && check(path, isPath(paths.get(i)), "not a valid path")) {
                check(path, Files.exists(plan.resolveInHome(paths.get(i))),
                        "no such " + what + ": " + plan.resolveInHome(paths.get(i)));
            }
        }
    }

    /** @return whether the workload runs on Kubernetes */
    private boolean workload(WorkloadSpec w) {
        if (w == null) {
            missing("workload");
            return false;
        }
        if (!required("workload.platform", w.platform())
                || !oneOf("workload.platform", w.platform(), WorkloadSpec.PLATFORMS)) {
            return false;
        }
        atLeast("workload.replicas", w.replicas(), 1);
        for (int i = 0; i < w.command().size(); i++) {
            required("workload.command[" + i + "]", w.command().get(i));
        }
        for (Map.Entry<String, String> e : w.env().entrySet()) {
            String path = "workload.env." + e.getKey();
            check(path, EnvReferences.NAME.matcher(e.getKey()).matches(), "not a valid environment variable name");
            check(path, e.getValue() != null, "needs a value (write '' for an empty one)");
        }
        if (required("workload.healthPath", w.healthPath())) {
            check("workload.healthPath", w.healthPath().startsWith("/"), "must start with '/'");
        }
        positive("workload.progressDeadline", w.progressDeadline());
        positive("workload.drainTimeout", w.drainTimeout());
        boolean kubernetes = w.platform().equals(WorkloadSpec.KUBERNETES);
        if (kubernetes) {
            kubernetes(w.kubernetes());
        } else {
            check("workload.command", !w.command().isEmpty(), "required for the local platform: the bot's command line");
            check("workload.kubernetes", w.kubernetes() == null, "only for platform kubernetes (platform is local)");
        }
        return kubernetes;
    }

    private void kubernetes(WorkloadSpec.KubernetesSpec k) {
        if (k == null) {
            missing("workload.kubernetes");
            return;
        }
        if (required("workload.kubernetes.namespace", k.namespace())) {
            check("workload.kubernetes.namespace", DNS_LABEL.matcher(k.namespace()).matches(), "must be a DNS-1123 label");
        }
        required("workload.kubernetes.image", k.image());
        port("workload.kubernetes.port", k.port(), 1);
    }

    private void traffic(TrafficSpec t, boolean kubernetes) {
        if (t == null) {
            return;
        }
        boolean known = required("traffic.router", t.router()) && oneOf("traffic.router", t.router(), TrafficSpec.ROUTERS);
        if (known) {
            check("traffic.router", kubernetes || t.router().equals(TrafficSpec.BOTSHIFT),
                    "'" + t.router() + "' needs platform kubernetes; the local platform uses the botshift router");
        }
        if (required("traffic.stickyBy", t.stickyBy())) {
            try {
                StickyPaths.parse(t.stickyBy());
            } catch (IllegalArgumentException e) {
                check("traffic.stickyBy", false, e.getMessage());
            }
        }
        steps(t);
        positive("traffic.stepDuration", t.stepDuration());
        port("traffic.listenPort", t.listenPort(), 0);
        answerTimeout(t, kubernetes);
        verify(t, kubernetes);
        source(t, kubernetes);
    }

    private void answerTimeout(TrafficSpec t, boolean kubernetes) {
        if (t.answerTimeout() == null) {
            return;
        }
        if (kubernetes) {
            check("traffic.answerTimeout", false, "on kubernetes the router Deployment's --answer-timeout argument sets"
                    + " it (manifests/router/deployment.yaml, docs/router.md): remove traffic.answerTimeout");
            return;
        }
        dev.botshift.core.AnswerTimeout.problem(t.answerTimeout())
                .ifPresent(problem -> check("traffic.answerTimeout", false, problem));
    }

    private void source(TrafficSpec t, boolean kubernetes) {
        if (!required("traffic.source", t.source()) || !oneOf("traffic.source", t.source(), TrafficSpec.SOURCES)) {
            return;
        }
        PollingSpec p = t.polling();
        if (!t.polls()) {
            check("traffic.polling", p == null, "only for source telegram-polling (source is " + t.source() + ")");
            check("traffic.verify", !t.handsOver() || t.verify() == null,
                    "in a handover the bots poll and no webhook reaches the router: remove traffic.verify");
            return;
        }
        check("traffic.source", t.router() == null || t.router().equals(TrafficSpec.BOTSHIFT),
                "telegram-polling needs the botshift router: it is the one that polls (router is " + t.router() + ")");
        check("traffic.verify", t.verify() == null,
                "a polling router takes no webhooks, so there is nothing to verify: remove traffic.verify");
        if (kubernetes) {
            // the in-cluster router is the admin's Deployment: its arguments hold these settings and its Secret the
            // token, which Botshift itself then never needs
            check("traffic.polling", p == null, "on kubernetes the router Deployment's arguments set the bridge and a"
                    + " Secret gives it the token (manifests/router-polling/deployment.yaml, docs/polling.md): remove"
                    + " traffic.polling");
            return;
        }
        if (p == null) {
            missing("traffic.polling");
            return;
        }
        if (required("traffic.polling.tokenEnv", p.tokenEnv())) {
            check("traffic.polling.tokenEnv", EnvReferences.NAME.matcher(p.tokenEnv()).matches(),
                    "must be the name of an environment variable (the token itself never goes in the plan)");
        }
        if (p.secretEnv() != null) {
            check("traffic.polling.secretEnv", EnvReferences.NAME.matcher(p.secretEnv()).matches(),
                    "must be the name of an environment variable (the secret itself never goes in the plan)");
        }
        if (required("traffic.polling.apiUrl", p.apiUrl())) {
            check("traffic.polling.apiUrl", API_URL.matcher(p.apiUrl()).matches(),
                    "must be an http:// or https:// base URL without user info, query or fragment");
        }
        if (required("traffic.polling.path", p.path())) {
            check("traffic.polling.path", p.path().startsWith("/") && !p.path().contains("?"),
                    "must be a path starting with '/' (the bots' webhook path), without a query");
        }
        if (p.allowedUpdates() != null) {
            for (int i = 0; i < p.allowedUpdates().size(); i++) {
                String path = "traffic.polling.allowedUpdates[" + i + "]";
                if (required(path, p.allowedUpdates().get(i))) {
                    check(path, UPDATE_TYPE.matcher(p.allowedUpdates().get(i)).matches(),
                            "must be an update type such as message or callback_query");
                }
            }
        }
        if (required("traffic.polling.pollTimeout", p.pollTimeout())) {
            check("traffic.polling.pollTimeout", p.pollTimeout().toSeconds() >= 1 && p.pollTimeout().toSeconds() <= 3_600,
                    "must be between 1s and 1h (a long poll; the API counts whole seconds)");
        }
        atLeast("traffic.polling.maxAttempts", p.maxAttempts(), 1);
    }

    /**
     * {@code telegram-handover}: exactly one process may poll the Bot API, and no split exists, so one instance per
     * colour, one switch, and a judge that reads the bots' own counters (the router sees none of the updates).
     */
    private void handover(Plan plan, boolean kubernetes) {
        TrafficSpec t = plan.traffic();
        if (t == null || !t.handsOver()) {
            return;
        }
        check("traffic.source", !kubernetes,
                "telegram-handover runs on the local platform only for now (docs/polling.md, limits)");
        check("traffic.steps", t.steps().equals(List.of(100)),
                "telegram-handover switches the one consumer from blue to green at once: steps must be [100] (are "
                        + t.steps() + ")");
        if (plan.workload() != null) {
            check("workload.replicas", plan.workload().replicas() == 1,
                    "telegram-handover needs exactly 1: Telegram allows one getUpdates consumer per bot, so a second "
                            + "instance of the consuming colour would conflict (is " + plan.workload().replicas() + ")");
        }
        AnalysisSpec a = plan.analysis();
        if (a != null && a.provider() != null) {
            check("analysis.provider", !a.provider().equals(AnalysisSpec.ROUTER) && !a.provider().equals(AnalysisSpec.COMBINED),
                    "in a handover no update passes the router, so it cannot count them: use bot-metrics (is "
                            + a.provider() + ")");
        }
    }

    private void verify(TrafficSpec t, boolean kubernetes) {
        VerifySpec v = t.verify();
        if (v == null) {
            return;
        }
        check("traffic.verify", t.router() == null || t.router().equals("botshift"),
                "only the botshift router verifies webhooks (router is " + t.router() + ")");
        if (required("traffic.verify.platform", v.platform())) {
            oneOf("traffic.verify.platform", v.platform(), VerifySpec.PLATFORMS);
        }
        if (v.registered()) {
            registeredSecret(v, kubernetes);
        } else if (required("traffic.verify.secretEnv", v.secretEnv())) {
            check("traffic.verify.secretEnv", EnvReferences.NAME.matcher(v.secretEnv()).matches(),
                    "must be the name of an environment variable (the secret itself never goes in the plan)");
        }
        if (VerifySpec.SLACK.equals(v.platform())) {
            positive("traffic.verify.maxSkew", v.maxSkew());
        } else {
            check("traffic.verify.maxSkew", v.maxSkew() == null, "only for platform slack (its requests carry a timestamp)");
        }
    }

    /** {@code secret: registered}: the router reads what {@code botshift webhook set|rotate} wrote in the state dir. */
    private void registeredSecret(VerifySpec v, boolean kubernetes) {
        if (!check("traffic.verify.secret", VerifySpec.REGISTERED.equals(v.secret()),
                "must be '" + VerifySpec.REGISTERED + "' (the secrets 'botshift webhook set' generates and registers);"
                        + " the secret itself never goes in the plan: use secretEnv for a secret of your own")) {
            return;
        }
        check("traffic.verify.secret", v.platform() == null || v.platform().equals(WebhookPlatform.TELEGRAM.label()),
                "only for platform telegram (the one platform that takes a secret Botshift chose)");
        check("traffic.verify.secretEnv", v.secretEnv() == null,
                "give either secretEnv or secret: registered, not both");
        check("traffic.verify.secret", !kubernetes,
                "registered secrets are kept in the local state directory: on the local platform only for now"
                        + " (in a cluster, use secretEnv with a Secret; docs/router.md)");
    }

    private void steps(TrafficSpec t) {
        List<Integer> steps = t.steps();
        if (steps.isEmpty()) {
            problems.add("traffic.steps", "needs at least one step, the last one 100");
            return;
        }
        for (int i = 0; i < steps.size(); i++) {
            String path = "traffic.steps[" + i + "]";
            Integer step = steps.get(i);
            if (required(path, step) && check(path, step >= 1 && step <= 100, "must be between 1 and 100")) {
                Integer before = i == 0 ? null : steps.get(i - 1);
                check(path, before == null || step > before, "steps must be strictly increasing (" + before + " then " + step + ")");
            }
        }
        check("traffic.steps[" + (steps.size() - 1) + "]", steps.get(steps.size() - 1) == null || steps.get(steps.size() - 1) == 100,
                "the last step must be 100");
        check("traffic.steps", !TrafficSpec.SERVICE_SELECTOR.equals(t.router()) || steps.equals(List.of(100)),
                "the service-selector router switches all traffic at once: steps must be [100]");
    }

    private void analysis(AnalysisSpec a) {
        if (a == null || !required("analysis.provider", a.provider())
                || !oneOf("analysis.provider", a.provider(), AnalysisSpec.PROVIDERS)) {
            return;
        }
        positive("analysis.interval", a.interval());
        fraction("analysis.maxErrorRate", a.maxErrorRate());
        fraction("analysis.maxIncreaseOverBaseline", a.maxIncreaseOverBaseline());
        atLeast("analysis.minRequests", a.minRequests(), 1);
        atLeast("analysis.failureLimit", a.failureLimit(), 1);
        atLeast("analysis.cumulativeFailureLimit", a.cumulativeFailureLimit(), 1);
        atLeast("analysis.inconclusiveLimit", a.inconclusiveLimit(), 1);
        positive("analysis.maxStepDuration", a.maxStepDuration());
        check("analysis.postContract", !a.postContract().isNegative(), "must not be negative (0s: no watch)");
        AnalysisSpec.PrometheusSpec prom = a.prometheus();
        if (!a.provider().equals(AnalysisSpec.PROMETHEUS)) {
            check("analysis.prometheus", prom == null, "only for provider prometheus (provider is " + a.provider() + ")");
        } else if (prom == null) {
            missing("analysis.prometheus");
        } else {
            if (required("analysis.prometheus.url", prom.url())) {
                check("analysis.prometheus.url", prom.url().startsWith("http://") || prom.url().startsWith("https://"),
                        "must be an http:// or https:// URL");
            }
            required("analysis.prometheus.requestsQuery", prom.requestsQuery());
            required("analysis.prometheus.errorsQuery", prom.errorsQuery());
            positive("analysis.prometheus.timeout", prom.timeout());
            if (a.latency() != null) {
                required("analysis.prometheus.latencyQuery", prom.latencyQuery());
            } else {
                check("analysis.prometheus.latencyQuery", prom.latencyQuery() == null,
                        "only with analysis.latency (the limits it is judged against)");
            }
        }
        latency(a);
    }

    private void latency(AnalysisSpec a) {
        AnalysisSpec.LatencySpec l = a.latency();
        if (l == null) {
            return;
        }
        check("analysis.latency", l.p99Max() != null || l.maxIncreaseOverBaseline() != null,
                "needs p99Max, maxIncreaseOverBaseline or both");
        if (l.p99Max() != null) {
            positive("analysis.latency.p99Max", l.p99Max());
        }
        if (l.maxIncreaseOverBaseline() != null) {
            fraction("analysis.latency.maxIncreaseOverBaseline", l.maxIncreaseOverBaseline());
        }
        check("analysis.latency", !a.provider().equals(AnalysisSpec.BOT_METRICS),
                "provider bot-metrics measures no latency: use router, combined, or prometheus with a latencyQuery");
    }

    // a NUL or similar makes Path.of throw: a plan mistake (exit 2), not an internal error
    private static boolean isPath(String text) {
        try {
            Path.of(text);
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private boolean required(String path, Object value) {
        boolean present = value != null && !(value instanceof String s && s.isBlank());
        if (!present) {
            missing(path);
        }
        return present;
    }

    private void missing(String path) {
        problems.add(path, "required field is missing or empty");
    }

    private boolean oneOf(String path, String value, List<String> accepted) {
        return check(path, accepted.contains(value), "must be one of " + String.join(", ", accepted)
                + ", got " + problems.quote(path, value));
    }

    private void positive(String path, Duration value) {
        if (required(path, value)) {
            check(path, !value.isZero() && !value.isNegative(), "must be longer than 0");
        }
    }

    private void atLeast(String path, int value, int min) {
        check(path, value >= min, "must be at least " + min + ", got " + value);
    }

    private void fraction(String path, double value) {
        check(path, value >= 0 && value <= 1, "must be between 0% and 100% (or 0 and 1)");
    }

    private void port(String path, int value, int min) {
        check(path, value >= min && value <= 65535, "must be a port number between " + min + " and 65535");
    }

    private boolean check(String path, boolean ok, String message) {
        if (!ok) {
            problems.add(path, message);
        }
        return ok;
    }
}
