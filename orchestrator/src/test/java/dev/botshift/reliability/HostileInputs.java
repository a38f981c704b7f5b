package dev.botshift.reliability;

import dev.botshift.core.Slot;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.state.local.FileStateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The second half of the corpus (issue 13): inputs an attacker or a broken machine hands Botshift rather than a
 * user's slip. Plan files that are not files or are built to exhaust the parser, webhook verification mistakes, state
 * directories and files another user or a crash left, a database that refuses the login, the router's own command
 * line. Each is refused with exit 2, a message naming the cause, nothing changed.
 */
final class HostileInputs {
    static final String APP = "corpus-bot";

    private HostileInputs() {
    }

    static void addTo(BadInputs c, CorpusWorkspace ws, BadInputs.Endpoints endpoints) {
        Path dir = ws.dir;
        String deploy = BadInputs.DEPLOY;

        // plan paths that are not plan files, and plans built to exhaust the parser
        c.command("plan path is a directory", "deploy -f " + dir + " --state-dir {state}", dir.toString(), "is a directory");
        c.command("plan path is a FIFO", "deploy -f " + ws.fifo("plan.fifo") + " --state-dir {state}", "plan.fifo",
                "not a regular file");
        c.deploy("plan file of 2 MiB", p -> p + ("# padding " + "x".repeat(90) + "\n").repeat(21_000), "KiB");
        c.deploy("YAML alias bomb", p -> billionLaughs() + p.replaceFirst("command: .*", "command: *l10"),
                "workload.command", "expected a list");
        c.deploy("YAML nested 5,000 deep", p -> p + "deep: " + "[".repeat(5000) + "]".repeat(5000) + "\n",
                "exceeds what the YAML reader accepts", "nesting depth");
        c.deploy("two YAML documents", p -> p + "---\nname: other-bot\n", "one YAML document");
        c.replace("NUL character in the plan", "name: corpus-bot", "name: \"corpus\\\\0bot\"", "name");
        c.replace("env reference with a bad name", "url: .*", "url: \\${env:DB-URL}", "database.url",
                "does not name an environment variable");
        c.replace("unterminated env reference", "url: .*", "url: \\${env:DB_URL", "database.url", "unterminated");
        c.replace("workload env with a bad variable name", "  replicas: 1", "  replicas: 1\n  env: {BAD-NAME: x}",
                "workload.env.BAD-NAME");
        c.replace("changelog path with a NUL", "changelog: .*", "changelog: \"db\\\\0.yaml\"", "database.changelog",
                "not a valid file path");
        c.replace("changelog is a directory", "changelog: .*", "changelog: " + dir, "database.changelog",
                "not a regular file");
        c.replace("changelog is a device", "changelog: .*", "changelog: /dev/zero", "database.changelog",
                "not a regular file");
        c.replace("negative listen port", "listenPort: 0", "listenPort: -1", "traffic.listenPort");
        c.replace("zero step duration", "stepDuration: 1s", "stepDuration: 0s", "traffic.stepDuration");
        c.replace("interval in words", "interval: 1s", "interval: one hour", "analysis.interval");
        c.replace("fractional replicas", "replicas: 1", "replicas: 1.5", "workload.replicas");
        c.replace("a null step", "steps: \\[10, 50, 100\\]", "steps: [10, ~, 100]", "traffic.steps[1]");
        c.replace("name of 64 characters", "name: corpus-bot", "name: " + "a".repeat(64), "name");
        c.replace("release with a slash", "release: 2.0.0", "release: 2.0/1", "release");

        // webhook verification (traffic.verify)
        c.replace("verify: unknown platform", "  listenPort: 0", "  listenPort: 0\n  verify: {platform: discord, secretEnv: X}",
                "traffic.verify.platform", "telegram, slack, whatsapp");
        c.replace("verify: no secretEnv", "  listenPort: 0", "  listenPort: 0\n  verify: {platform: telegram}",
                "traffic.verify.secretEnv");
        c.replace("verify: the secret written as secretEnv", "  listenPort: 0",
                "  listenPort: 0\n  verify: {platform: telegram, secretEnv: \"a secret value\"}",
                "traffic.verify.secretEnv", "name of an environment variable");
        c.replace("verify: secret variable unset", "  listenPort: 0",
                "  listenPort: 0\n  verify: {platform: slack, secretEnv: BOTSHIFT_CORPUS_UNSET_HOOK}",
                "traffic.verify.secretEnv", "BOTSHIFT_CORPUS_UNSET_HOOK is not set");
        c.replace("polling: delivery secret variable unset", "  listenPort: 0", "  listenPort: 0\n"
                + "  source: telegram-polling\n  polling: {tokenEnv: BOTSHIFT_CORPUS_UNSET_TOKEN,"
                + " secretEnv: BOTSHIFT_CORPUS_UNSET_SECRET}",
                "traffic.polling.secretEnv", "BOTSHIFT_CORPUS_UNSET_SECRET is not set");
        c.replace("verify: maxSkew for telegram", "  listenPort: 0",
                "  listenPort: 0\n  verify: {platform: telegram, secretEnv: PATH, maxSkew: 5m}", "traffic.verify.maxSkew");
        c.replace("verify: the secret inline", "  listenPort: 0",
                "  listenPort: 0\n  verify: {platform: telegram, secret: abc}", "traffic.verify.secret",
                "the secret itself never goes in the plan");
        c.replace("verify: a list", "  listenPort: 0", "  listenPort: 0\n  verify: [telegram]", "traffic.verify");

        // state directories and files another user, a crash or a hand edit left
        c.command("state dir is a file", deploy.replace("{state}", ws.write("a-file", "x").toString()), "not a directory");
        c.seeded("state dir writable by its group", state -> Files.setAttribute(state, "unix:mode", 0770), deploy,
                "{state}", "chmod 700");
        c.command("state dir under a world-writable, non-sticky folder",
                deploy.replace("{state}", ws.openFolder("open-to-all").resolve("state").toString()), "open-to-all", "sticky");
        c.seeded("state.json corrupt", state -> app(state, "state.json", "{\"version\": 3, \"updat"),
                "status " + APP + " --state-dir {state}", "state.json", "corrupt", "mv ");
        c.seeded("state.json empty", state -> app(state, "state.json", ""), "status " + APP + " --state-dir {state}",
                "state.json", "corrupt");
        c.seeded("state.json not a rollout", state -> app(state, "state.json",
                "{\"version\":1,\"updatedAt\":\"2026-01-01T00:00:00Z\",\"document\":\"{\\\"phase\\\":42}\"}"),
                "promote " + APP + " --state-dir {state}", "stored rollout state cannot be read", "backup");
        // down: every refusal leaves the app as it was (its router config, its rollout)
        c.command("down without an app", "down --state-dir {state}", "<app>");
        c.command("down of an unknown app", "down no-such-app --state-dir {state}", "no-such-app", "nothing was stopped");
        c.command("down of a path", "down ../" + APP + " --state-dir {state}", "is not an app name");
        c.command("down on Kubernetes", "down " + APP + " --namespace bots --state-dir {state}", "kubectl");
        c.seeded("down of a rollout under way", HostileInputs::rollout, "down " + APP + " --state-dir {state}",
                "is under way", "Nothing was stopped");
        c.seeded("down with a corrupt state.json", state -> app(state, "state.json", "{\"version\": 3"),
                "down " + APP + " --state-dir {state}", "state.json", "corrupt");
        c.seeded("lock.json corrupt", state -> {
            app(state, "lock.json", "not json at all");
            app(state, ".mutex", "");
        }, deploy, "lock.json", "corrupt", "rm ");
        c.cases.add(new BadInputs.Case("router port taken before a resume",
                p -> p.replace("listenPort: 0", "listenPort: " + endpoints.taken()),
                List.of(("resume " + APP + " -f {plan} --state-dir {state}").split(" ")),
                BadInputs.withPlanName("traffic.listenPort", String.valueOf(endpoints.taken())), HostileInputs::rollout));

        // a database that answers, but refuses the login (what trust-authenticated test databases never do)
        c.beyond("wrong database password", "url: .*", "url: jdbc:postgresql://127.0.0.1:" + endpoints.wrongPassword()
                + "/corpus", "authentication failed for user postgres", "database.password");
        c.beyond("database role does not exist", "url: .*", "url: jdbc:postgresql://127.0.0.1:" + endpoints.noSuchRole()
                + "/corpus", "authentication failed for user postgres");
        c.beyond("database URL points at another service", "url: .*", "url: jdbc:postgresql://127.0.0.1:"
                + endpoints.notADatabase() + "/corpus", "127.0.0.1:" + endpoints.notADatabase(), "cannot be reached");

        // the router's own command line (what RouterProcess and the cluster manifests run)
        String router = "router --admin-port 0 --config-file " + dir.resolve("corpus-router.json");
        c.command("router: listen port out of range", router + " --listen 70000", "--listen", "70000");
        c.command("router: unknown verify platform", router + " --listen 0 --verify discord", "--verify", "discord");
        c.command("router: verify without the secret's variable", router + " --listen 0 --verify telegram",
                "--verify-secret-env");
        c.command("router: verify secret variable unset", router + " --listen 0 --verify telegram --verify-secret-env"
                + " BOTSHIFT_CORPUS_UNSET_HOOK", "BOTSHIFT_CORPUS_UNSET_HOOK", "not set");
        c.command("router: answer timeout zero", router + " --listen 0 --answer-timeout 0s", "--answer-timeout",
                "1s..1h");
        c.command("router: answer timeout not a duration", router + " --listen 0 --answer-timeout soon",
                "--answer-timeout", "soon");
        c.command("status: a timeout past a year", "status " + APP + " --watch --timeout 9999999h --state-dir {state}",
                "--timeout", "9999999h", "longer than 8760h");
        c.command("router: max skew without verify", router + " --listen 0 --verify-max-skew 5m", "--verify");
        c.command("router: admin token file others can read", router + " --listen 0 --admin-token-file "
                + ws.write("readable-token", "t".repeat(43)), "readable-token", "chmod 600");
        c.command("router: token for the read-only in-cluster router",
                "router --configmap bots/x --admin-token-file " + dir.resolve("readable-token"), "read-only");
        c.command("router: sharing the port of a polling router", router + " --listen 0 --share-port --poll-token-env"
                + " BOTSHIFT_CORPUS_UNSET_TOKEN", "--share-port", "getUpdates");
        c.command("router: listen port in use", router + " --listen " + endpoints.taken(),
                String.valueOf(endpoints.taken()), "already in use");
    }

    /** Writes {@code name} into the app's folder of {@code state} (created if needed). */
    private static void app(Path state, String name, String content) throws IOException {
        Path app = Files.createDirectories(state.resolve(APP));
        Files.writeString(app.resolve(name), content);
    }

    /** A stored rollout, as a deploy killed before it started green leaves it. */
    private static void rollout(Path state) {
        RolloutState s = RolloutState.begin(APP, "2.0.0", "corpus01", 1, "/plan.yaml", Slot.A, "1.0.0", null, Instant.now());
        FileStateStore store = new FileStateStore(state);
        try (var lock = store.lock(APP, "corpus", java.time.Duration.ofMinutes(1))) {
            store.write(APP, RolloutStateCodec.encode(s), null, lock);
        }
    }

    /** Ten levels of ten-fold aliases: 10^10 leaves if anything expanded them. */
    private static String billionLaughs() {
        StringBuilder b = new StringBuilder("lol0: &l0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
        for (int i = 1; i <= 10; i++) {
            b.append("lol").append(i).append(": &l").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                b.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
            }
            b.append("]\n");
        }
        return b.toString();
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
