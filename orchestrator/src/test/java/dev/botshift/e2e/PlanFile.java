package dev.botshift.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A plan file like {@code examples/sentiment-bot/demo/plan-*.yaml}, with absolute paths, the rig's router port and
 * short durations (steps 2 s, bake 2 s, interval 500 ms, post-contract watch 1 s). The bot command carries the rig's
 * marker ({@code -Dbotshift.e2e=...}) so that leftover processes can be found by their command line.
 */
final class PlanFile {
    private String app = "sentiment-bot";
    private String release;
    private Path changelog;
    private int replicas = 1;
    private List<String> command;
    private final Map<String, String> env = new LinkedHashMap<>();
    private String progressDeadline = "30s";
    private String steps = "[10, 25, 50, 100]";
    private String stepDuration = "2s";
    private String bake = "2s";
    private String postContract = "1s";
    private String approval = "none";
    private String interval = "500ms";
    private int minRequests = 3;
    private int inconclusiveLimit = 20;
    private int listenPort;
    private String databaseUrl = "${env:DB_URL}";
    private String provider = "combined";
    /** {@code analysis.latency} as a YAML flow mapping, or null */
    private String latency;
    /** More lines of {@code traffic}, indented by two spaces (a source and its polling block), or empty */
    private String moreTraffic = "";

    PlanFile(String release, Path changelog, int listenPort, String marker) {
        this.release = release;
        this.changelog = changelog;
        this.listenPort = listenPort;
        this.command = List.of("java", "-Dbotshift.e2e=" + marker, "-Xmx64m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", Cli.repo().resolve("examples/sentiment-bot/target/sentiment-bot.jar")
                        .toString());
    }

    PlanFile app(String name) {
        this.app = name;
        return this;
    }

    PlanFile release(String r) {
        this.release = r;
        return this;
    }

    PlanFile changelog(Path c) {
        this.changelog = c;
        return this;
    }

    PlanFile replicas(int n) {
        this.replicas = n;
        return this;
    }

    PlanFile command(List<String> c) {
        this.command = List.copyOf(c);
        return this;
    }

    PlanFile env(String name, String value) {
        env.put(name, value);
        return this;
    }

    PlanFile progressDeadline(String d) {
        this.progressDeadline = d;
        return this;
    }

    PlanFile steps(String s) {
        this.steps = s;
        return this;
    }

    /** The README's example plan's numbers instead of the rig's quick ones. */
    PlanFile analysis(String interval, int minRequests, String stepDuration, String bake) {
        this.interval = interval;
        this.minRequests = minRequests;
        this.stepDuration = stepDuration;
        this.bake = bake;
        this.inconclusiveLimit = 6; // the default, which the README's plan leaves as it is
        return this;
    }

    /** How long green is still judged after the contract ({@code analysis.postContract}). */
    PlanFile postContract(String d) {
        this.postContract = d;
        return this;
    }

    PlanFile stepDuration(String d) {
        this.stepDuration = d;
        return this;
    }

    PlanFile bake(String d) {
        this.bake = d;
        return this;
    }

    PlanFile approval(String a) {
        this.approval = a;
        return this;
    }

    /** A literal JDBC URL instead of {@code ${env:DB_URL}} (a second app with its own database). */
    PlanFile databaseUrl(String url) {
        this.databaseUrl = url;
        return this;
    }

    /** The analysis interval and the requests a verdict needs (sized to the chat traffic's rate). */
    PlanFile analysis(String interval, int minRequests) {
        this.interval = interval;
        this.minRequests = minRequests;
        return this;
    }

    /** {@code analysis.latency}, e.g. {@code {p99Max: 1s, maxIncreaseOverBaseline: 100%}}. */
    PlanFile latency(String flowMapping) {
        this.latency = flowMapping;
        return this;
    }

    /** {@code analysis.provider} ({@code bot-metrics} for a handover, where no update passes the router). */
    PlanFile provider(String name) {
        this.provider = name;
        return this;
    }

    /** More {@code traffic} fields, each line indented by two spaces. */
    PlanFile traffic(String lines) {
        this.moreTraffic = lines;
        return this;
    }

    PlanFile listenPort(int port) {
        this.listenPort = port;
        return this;
    }

    String app() {
        return app;
    }

    /** Writes the plan into {@code dir} as {@code plan-<app>-<release>.yaml}. */
    Path writeTo(Path dir) {
        String yaml = """
                name: %s
                release: %s
                database:
                  url: %s
                  username: ${env:DB_USER}
                  password: ${env:DB_PASSWORD}
                  changelog: %s
                  app:
                    username: ${env:DB_USER}
                    passwordEnv: DB_PASSWORD
                  lockTimeout: 500ms
                workload:
                  platform: local
                  replicas: %d
                  command: [%s]
                %s  healthPath: /healthz
                  progressDeadline: %s
                  drainTimeout: 5s
                traffic:
                  router: botshift
                  stickyBy: $.message.chat.id
                  steps: %s
                  stepDuration: %s
                  listenPort: %d
                %sanalysis:
                  provider: %s
                  interval: %s
                  maxErrorRate: 5%%
                  maxIncreaseOverBaseline: 2%%
                  minRequests: %d
                  failureLimit: 2
                  cumulativeFailureLimit: 4
                  inconclusiveLimit: %d
                  postContract: %s
                %sbake: %s
                approval: %s
                """.formatted(app, release, quote(databaseUrl), quote(changelog.toString()), replicas,
                command.stream().map(PlanFile::quote).collect(Collectors.joining(", ")), envBlock(), progressDeadline,
                steps, stepDuration, listenPort, moreTraffic, provider, interval, minRequests, inconclusiveLimit,
                postContract, latency == null ? "" : "  latency: " + latency + "\n", bake, approval);
        Path file = dir.resolve("plan-" + app + "-" + release + ".yaml");
        try {
            Files.createDirectories(dir);
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    private String envBlock() {
        if (env.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("  env:\n");
        env.forEach((k, v) -> b.append("    ").append(k).append(": ").append(quote(v)).append('\n'));
        return b.toString();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
