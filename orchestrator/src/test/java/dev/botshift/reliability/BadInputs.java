package dev.botshift.reliability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The bad-input corpus: each case is one mistake a user makes, the command that meets it, and what the refusal must
 * name. {@code {plan}} in the arguments is the case's plan file, {@code {state}} the case's state directory.
 */
final class BadInputs {
    /**
     * @param plan   the plan text from the base plan (null: the case writes no plan)
     * @param names  what the message must name (file, field, endpoint); {@code {plan}} is the plan's file name
     */
    record Case(String name, Function<String, String> plan, List<String> args, List<String> names, Seed seed) {
        Case(String name, Function<String, String> plan, List<String> args, List<String> names) {
            this(name, plan, args, names, null);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** What a case puts into its state directory first (on top of the router config every case has). */
    interface Seed {
        void into(Path stateDir) throws IOException;
    }

    /** Endpoints the corpus needs besides the database: ports taken or refusing, fake database servers. */
    record Endpoints(int taken, int refusing, int wrongPassword, int noSuchRole, int notADatabase) {
    }

    static final String DEPLOY = "deploy -f {plan} --state-dir {state}";

    final List<Case> cases = new ArrayList<>();

    private BadInputs() {
    }

    void deploy(String name, Function<String, String> plan, String... names) {
        cases.add(new Case(name, plan, List.of(DEPLOY.split(" ")), withPlanName(names)));
    }

    /** Replace a regex in the base plan; the message must name the plan file and {@code names}. */
    void replace(String name, String regex, String replacement, String... names) {
        mutate(name, regex, replacement, withPlanName(names));
    }

    /** As {@link #replace}, for mistakes found beyond the plan file: the message names the changelog or endpoint. */
    void beyond(String name, String regex, String replacement, String... names) {
        mutate(name, regex, replacement, List.of(names));
    }

    void mutate(String name, String regex, String replacement, List<String> names) {
        cases.add(new Case(name, p -> {
            String out = p.replaceFirst(regex, replacement);
            if (out.equals(p)) {
                throw new IllegalStateException(name + ": the mutation matched nothing");
            }
            return out;
        }, List.of(DEPLOY.split(" ")), names));
    }

    void command(String name, String args, String... names) {
        cases.add(new Case(name, planIfNamed(args), List.of(args.split(" ")), List.of(names)));
    }

    /** A command run against a state directory {@code seed} prepared. */
    void seeded(String name, Seed seed, String args, String... names) {
        cases.add(new Case(name, planIfNamed(args), List.of(args.split(" ")), List.of(names), seed));
    }

    /** The base plan, unchanged, when the command names {@code {plan}}: the case breaks something else. */
    private static Function<String, String> planIfNamed(String args) {
        return args.contains("{plan}") ? Function.identity() : null;
    }

    static List<String> withPlanName(String... names) {
        List<String> all = new ArrayList<>(List.of("{plan}"));
        all.addAll(List.of(names));
        return all;
    }

    static List<Case> all(CorpusWorkspace ws, Endpoints endpoints) {
        BadInputs c = new BadInputs();
        Path dir = ws.dir;
        int takenPort = endpoints.taken();
        int refusingPort = endpoints.refusing();

        // malformed YAML
        c.replace("unclosed flow sequence", "steps: \\[10, 50, 100\\]", "steps: [10, 50, 100", "malformed YAML");
        c.replace("unclosed quote", "name: corpus-bot", "name: \"corpus-bot", "malformed YAML");
        c.deploy("a list, not a mapping", p -> "- name: corpus-bot\n- release: 2.0.0\n", "mapping");
        c.deploy("empty file", p -> "", "empty");
        c.replace("tab indentation", "\n  replicas: 1", "\n\treplicas: 1", "malformed YAML");
        c.replace("duplicate field", "approval: none", "approval: none\nrelease: 2.0.1", "release", "duplicate");
        c.cases.add(new Case("not UTF-8", p -> null, List.of(DEPLOY.split(" ")), withPlanName("UTF-8")));
        c.command("plan file does not exist", "deploy -f " + dir.resolve("no-such-plan.yaml") + " --state-dir {state}",
                "no-such-plan.yaml", "no such file");

        // unknown or misspelt fields
        c.replace("misspelt workload.replicas", "  replicas: 1", "  replica: 1", "workload.replica", "replicas");
        c.replace("misspelt release", "release: 2.0.0", "relase: 2.0.0", "relase");
        c.replace("misspelt traffic.stepDuration", "stepDuration: 1s", "stepDurations: 1s", "traffic.stepDurations");
        c.replace("misspelt analysis.maxErrorRate", "maxErrorRate:", "maxErrorRat:", "analysis.maxErrorRat");
        c.replace("unknown top-level field", "approval: none", "approval: none\ncanary: true", "canary");
        c.replace("missing changelog field", "  changelog: .*\n", "", "database.changelog");
        c.replace("missing name", "name: corpus-bot\n", "", "name");

        // wrong types and values out of range
        c.replace("replicas is a word", "replicas: 1", "replicas: two", "workload.replicas");
        c.replace("replicas is a huge number", "replicas: 1", "replicas: 99999999999999999999999", "workload.replicas");
        c.replace("steps is a string", "steps: \\[10, 50, 100\\]", "steps: ten", "traffic.steps");
        c.replace("duration without a unit we know", "stepDuration: 1s", "stepDuration: 10 parsecs", "traffic.stepDuration");
        c.replace("negative bake", "bake: 1s", "bake: -5s", "bake");
        c.replace("error rate over 100 %", "maxErrorRate: 5%", "maxErrorRate: 150%", "analysis.maxErrorRate");
        c.replace("approval not one of the set", "approval: none", "approval: sometimes", "approval");
        c.replace("workload is a scalar", "workload:\n(  .*\n)+?traffic:", "workload: local\ntraffic:", "workload");
        c.replace("listen port over 65535", "listenPort: 0", "listenPort: 70000", "traffic.listenPort");
        c.replace("minRequests zero", "minRequests: 5", "minRequests: 0", "analysis.minRequests");
        c.replace("name not a DNS label", "name: corpus-bot", "name: Corpus_Bot", "name");
        c.replace("release with a space", "release: 2.0.0", "release: \"2.0.0 beta\"", "release");
        c.replace("database url not PostgreSQL", "url: .*", "url: jdbc:mysql://127.0.0.1/corpus", "database.url");
        c.replace("stickyBy not a JSON path", "stickyBy: .*", "stickyBy: chat-id", "traffic.stickyBy");
        c.replace("healthPath without slash", "healthPath: /healthz", "healthPath: healthz", "workload.healthPath");

        // missing environment variables
        c.replace("password from an unset variable", "password: .*", "password: \\${env:BOTSHIFT_CORPUS_UNSET_PW}",
                "database.password", "BOTSHIFT_CORPUS_UNSET_PW");
        c.replace("url from an unset variable", "url: .*", "url: \\${env:BOTSHIFT_CORPUS_UNSET_URL}", "database.url",
                "BOTSHIFT_CORPUS_UNSET_URL");
        c.replace("webhook env is a URL, not a name", "webhookUrlEnv: .*", "webhookUrlEnv: https://hooks.invalid/T0/B0",
                "notify.webhookUrlEnv");

        // changelogs
        c.replace("changelog does not exist", "changelog: .*", "changelog: db/nowhere.yaml", "database.changelog",
                "nowhere.yaml");
        c.beyond("changelog does not parse", "changelog: .*", "changelog: garbage-root.yaml", "garbage-root.yaml");
        c.beyond("changelog includes a missing file", "changelog: .*", "changelog: missing-include.yaml",
                "does-not-exist.sql");
        c.beyond("unlabelled changeset", "changelog: .*", "changelog: unlabelled.sql", "unlabelled.sql", "add-mood");
        c.beyond("DROP COLUMN in expand", "changelog: .*", "changelog: drop-in-expand.sql", "drop-text");
        c.beyond("NOT NULL without default in expand", "changelog: .*", "changelog: not-null-in-expand.sql", "region");
        c.beyond("RENAME COLUMN in expand", "changelog: .*", "changelog: contract-in-expand.sql", "rename");
        c.command("lint a changelog that does not exist", "lint " + dir.resolve("gone.sql"), "gone.sql");
        c.command("lint an unsafe changelog", "lint " + dir.resolve("drop-in-expand.sql"), "drop-text");
        c.beyond("changelog includes itself through another", "changelog: .*", "changelog: include-cycle.yaml",
                "include-cycle.yaml", "include cycle", "include-cycle-b.yaml");
        c.command("lint a YAML alias bomb", "lint " + dir.resolve("alias-bomb.yaml"), "alias-bomb.yaml", "aliases");
        c.beyond("changelog parameter from the environment", "changelog: .*", "changelog: env-parameter.yaml",
                "env-parameter.yaml", "${HOME} is defined by no property");
        c.command("lint a changelog parameter from the environment", "lint " + dir.resolve("env-parameter.yaml"),
                "env-parameter.yaml", "${HOME}", "-DHOME=");
        c.command("lint an old-XSD changelog with labels", "lint " + dir.resolve("old-xsd-labels.xml"),
                "old-xsd-labels.xml", "labels", "--phases");
        c.command("lint with a malformed phases file", "lint " + dir.resolve("drop-in-expand.sql") + " --phases "
                + dir.resolve("bad-phases.yaml"), "bad-phases.yaml", "expand");
        c.replace("phases file does not exist", "  lockTimeout: 500ms", "  lockTimeout: 500ms\n  phases: nowhere.yaml",
                "database.phases", "nowhere.yaml");
        c.replace("search path entry does not exist", "  lockTimeout: 500ms",
                "  lockTimeout: 500ms\n  searchPath: [no-such-dir]", "database.searchPath[0]", "no-such-dir");

        // unknown router, platform, provider
        c.replace("unknown router", "router: botshift", "router: envoy", "traffic.router", "envoy");
        c.replace("unknown platform", "platform: local", "platform: nomad", "workload.platform", "nomad");
        c.replace("cluster router on the local platform", "router: botshift", "router: gateway-api", "traffic.router");
        c.replace("unknown metrics provider", "provider: combined", "provider: datadog", "analysis.provider");

        // custom checks (analysis.metrics)
        String checks = "failureLimit: 2\n  metrics:\n";
        String pair = "counter: {numerator: bot_handler_errors_total, denominator: bot_requests_total}";
        c.replace("custom check with an unknown key", "failureLimit: 2", checks + "    - {name: f, " + pair
                + ", max: 5%, maximum: 1}", "analysis.metrics[0].maximum", "unknown field");
        c.replace("custom check without a source", "failureLimit: 2", checks + "    - {name: f, max: 5%}",
                "analysis.metrics[0]", "needs query");
        c.replace("custom check with both sources", "failureLimit: 2", checks + "    - {name: f, query: 'sum(x)', "
                + pair + ", max: 5%}", "analysis.metrics[0]", "not both");
        c.replace("custom check without a limit", "failureLimit: 2", checks + "    - {name: f, " + pair + "}",
                "analysis.metrics[0]", "needs a limit");
        c.replace("custom check query without Prometheus", "failureLimit: 2", checks
                + "    - {name: f, query: 'sum(x)', max: 1}", "analysis.metrics[0].query", "needs Prometheus");
        c.replace("custom checks sharing a name", "failureLimit: 2", checks + "    - {name: f, " + pair
                + ", max: 5%}\n    - {name: f, " + pair + ", max: 9%}", "analysis.metrics[1].name", "duplicate");
        c.replace("custom check counter with a label selector", "failureLimit: 2", checks + "    - {name: f, counter:"
                + " {numerator: 'bot_handler_errors_total{answered=\"2xx\"}', denominator: bot_requests_total},"
                + " max: 5%}", "analysis.metrics[0].counter.numerator", "metric name");
        c.replace("custom check limit not a number", "failureLimit: 2", checks + "    - {name: f, " + pair
                + ", max: [1]}", "analysis.metrics[0].max");
        c.replace("custom check query with an unknown placeholder", "provider: combined",
                "provider: prometheus\n  prometheus:\n    url: http://127.0.0.1:" + refusingPort
                        + "\n    requestsQuery: sum(r)\n    errorsQuery: sum(e)\n    timeout: 2s\n  metrics:\n"
                        + "    - {name: f, query: 'sum(x{pod=\"{{pod}}\"})', max: 1}",
                "analysis.metrics[0].query", "unknown placeholder {{pod}}");

        // impossible steps
        c.replace("steps not increasing", "steps: \\[10, 50, 100\\]", "steps: [50, 25, 100]", "traffic.steps[1]",
                "increasing");
        c.replace("step over 100", "steps: \\[10, 50, 100\\]", "steps: [10, 150]", "traffic.steps[1]");
        c.replace("last step not 100", "steps: \\[10, 50, 100\\]", "steps: [10, 50]", "traffic.steps[1]", "100");
        c.replace("no steps", "steps: \\[10, 50, 100\\]", "steps: []", "traffic.steps");
        c.replace("zero replicas", "replicas: 1", "replicas: 0", "workload.replicas");

        // local resources
        c.replace("bot command does not exist", "command: .*", "command: [no-such-bot-binary-42]",
                "workload.command[0]", "no-such-bot-binary-42");
        c.replace("bot jar does not exist", "command: .*", "command: [java, -jar, missing-bot.jar]",
                "workload.command[2]", "missing-bot.jar");
        c.replace("router listen port in use", "listenPort: 0", "listenPort: " + takenPort, "traffic.listenPort",
                String.valueOf(takenPort));

        // unreachable endpoints
        c.beyond("database refuses connections", "url: .*", "url: jdbc:postgresql://127.0.0.1:" + refusingPort + "/corpus",
                "127.0.0.1:" + refusingPort + "/corpus", "cannot be reached");
        c.beyond("database does not exist", "url: jdbc:postgresql://(.*)/corpus", "url: jdbc:postgresql://$1/no_such_db",
                "no_such_db", "cannot be reached");
        c.replace("Prometheus unreachable", "provider: combined",
                "provider: prometheus\n  prometheus:\n    url: http://127.0.0.1:" + refusingPort
                        + "\n    requestsQuery: sum(r)\n    errorsQuery: sum(e)\n    timeout: 2s",
                "analysis.prometheus.url", "127.0.0.1:" + refusingPort);
        c.beyond("Kubernetes API unreachable", "workload:\n(  .*\n)+?traffic:",
                "workload:\n  platform: kubernetes\n  replicas: 1\n  kubernetes:\n    namespace: bots\n"
                        + "    image: registry.test/bot:{{version}}\n    port: 8080\ntraffic:",
                "Kubernetes API", "127.0.0.1:" + refusingPort);

        // bad command lines
        c.command("deploy without a plan", "deploy", "--plan");
        c.command("unknown option", "deploy -f {plan} --bogus", "--bogus");
        c.command("unknown output format", "deploy -f {plan} -o yaml", "yaml");
        c.command("unknown command", "frobnicate", "frobnicate");
        c.command("no command at all", "", "command");
        c.command("status --until never", "status corpus-bot --until never --state-dir {state}", "never");
        c.command("status --timeout soon", "status corpus-bot --timeout soon --state-dir {state}", "soon");
        c.command("status of an unknown app", "status no-such-app --state-dir {state}", "no-such-app");
        c.command("promote an unknown app", "promote no-such-app --state-dir {state}", "no-such-app");
        c.command("resume an unknown app", "resume no-such-app --state-dir {state}", "no-such-app");
        c.command("abort an unknown app", "abort no-such-app --state-dir {state}", "no-such-app");

        HostileInputs.addTo(c, ws, endpoints);
        return c.cases;
    }
}
