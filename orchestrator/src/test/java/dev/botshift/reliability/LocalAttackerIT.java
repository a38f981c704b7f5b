package dev.botshift.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import dev.botshift.core.ExitCode;
import dev.botshift.core.LocalFileException;
import dev.botshift.state.local.FileStateStore;
import dev.botshift.traffic.router.RouterProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another user of the machine attacks the state directory, as in issue 13: in a world-writable sticky folder (like
 * /tmp) they create Botshift's default state directory before it does and plant links at every name Botshift
 * writes, pointing at files only root may change. Botshift (run as root, so that a followed link would reach those
 * files) refuses with exit 2 naming the directory and its owner, and no file outside the state directory is touched.
 *
 * <p>Needs root (to become a throwaway uid with {@code setpriv}); skipped otherwise.
 */
class LocalAttackerIT {
    static final int ATTACKER = 54_321;
    static final List<String> PLANTED = List.of("corpus-bot/state.json", "corpus-bot/lock.json", "corpus-bot/.mutex",
            "corpus-bot/router/router.log", "corpus-bot/router/router-process.json",
            "corpus-bot/router/router-process.json.tmp", "corpus-bot/router/config.json", "corpus-bot/router/admin-token",
            "corpus-bot/workloads/a.json", "corpus-bot/workloads/logs/blue-0.log");

    @TempDir
    Path root;
    Path shared;
    Path victims;
    Path plan;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(new UnixSystem().getUid() == 0, "needs root to act as a second user (setpriv --reuid)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
        Files.setAttribute(root, "unix:mode", 0755);
        shared = Files.createDirectory(root.resolve("shared"));
        Files.setAttribute(shared, "unix:mode", 01777); // like /tmp
        victims = Files.createDirectory(root.resolve("victims"));
        for (int i = 0; i < PLANTED.size(); i++) {
            Path victim = Files.writeString(victims.resolve("victim-" + i), "root's file " + i + "\n");
            Files.setAttribute(victim, "unix:mode", 0600);
        }
        Files.writeString(root.resolve("changelog.yaml"), "databaseChangeLog: []\n");
        plan = Files.writeString(root.resolve("plan.yaml"), """
                name: corpus-bot
                release: 1.0.0
                database: {url: "jdbc:postgresql://127.0.0.1:1/none", changelog: changelog.yaml}
                workload: {platform: local, command: [java, -version]}
                traffic: {listenPort: 0}
                """);
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (shared != null) {
            LeftBehind.stopRouters(shared);
        }
    }

    @Test
    void aStateDirectoryPlantedByAnotherUserIsRefusedAndNothingOutsideIsTouched() throws Exception {
        Path state = shared.resolve(".botshift");
        StringBuilder script = new StringBuilder("set -e; umask 000; mkdir -m 777 " + state + "\n");
        for (String dir : List.of("corpus-bot", "corpus-bot/router", "corpus-bot/workloads", "corpus-bot/workloads/logs")) {
            script.append("mkdir -m 777 ").append(state.resolve(dir)).append('\n');
        }
        for (int i = 0; i < PLANTED.size(); i++) {
            script.append("ln -s ").append(victims.resolve("victim-" + i)).append(' ').append(state.resolve(PLANTED.get(i))).append('\n');
        }
        asAttacker(script.toString());
        Map<String, String> victimsBefore = snapshot(victims);
        Map<String, String> plantedBefore = snapshot(state);

        for (String command : List.of("deploy -f " + plan + " --state-dir " + state,
                "status corpus-bot --state-dir " + state, "promote corpus-bot --state-dir " + state,
                "resume corpus-bot --state-dir " + state, "abort corpus-bot --state-dir " + state,
                "pause corpus-bot --state-dir " + state)) {
            Cli.Result r = Cli.run(command.split(" "));
            assertThat(r.exitCode()).as(command + "\n" + r.all()).isEqualTo(ExitCode.INVALID_INPUT);
            assertThat(r.all()).as(command).contains(state.toString()).contains("uid " + ATTACKER).contains("--state-dir");
            assertThat(Cli.looksLikeACrash(r.all())).as(r.all()).isFalse();
        }
        // the layers below the command line refuse too, whoever calls them
        assertRefused(() -> new FileStateStore(state).lock("corpus-bot", "test", Duration.ofSeconds(10)));
        assertRefused(() -> RouterProcess.attachOrStart(state.resolve("corpus-bot/router"),
                RouterProcess.Options.of(0, 0, state.resolve("corpus-bot/router/config.json"))));

        assertThat(snapshot(victims)).as("root's files, byte for byte").isEqualTo(victimsBefore);
        assertThat(snapshot(state)).as("nothing written into the planted directory").isEqualTo(plantedBefore);
    }

    @Test
    void aPrivateLookingDirectoryOfAnotherUserIsRefusedToo() throws Exception {
        Path state = shared.resolve(".botshift");
        asAttacker("mkdir -m 700 " + state + " && ln -s " + victims.resolve("victim-0") + " " + state.resolve("x"));
        Cli.Result r = Cli.run("status", "corpus-bot", "--state-dir", state.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(r.all()).contains("owned by uid " + ATTACKER).contains("not by you");
    }

    @Test
    void aForeignDirectoryInsideOurOwnIsRefused() throws Exception {
        // ours and 0700 now, but another user created corpus-bot/ in it while it was open to all
        Path state = Files.createDirectory(shared.resolve("mine"));
        Files.setAttribute(state, "unix:mode", 0777);
        asAttacker("mkdir -m 777 " + state.resolve("corpus-bot") + " && ln -s " + victims.resolve("victim-0") + " "
                + state.resolve("corpus-bot/lock.json"));
        Files.setAttribute(state, "unix:mode", 0700);
        Map<String, String> victimsBefore = snapshot(victims);

        Cli.Result r = Cli.run("deploy", "-f", plan.toString(), "--state-dir", state.toString());
        assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThatRefusedBecauseOf(r, state.resolve("corpus-bot"));
        assertThat(snapshot(victims)).isEqualTo(victimsBefore);
    }

    @Test
    void ourOwnStateDirectoryInTheSharedFolderIsAccepted() throws Exception {
        Path state = shared.resolve("root-botshift");
        Cli.Result r = Cli.run("status", "corpus-bot", "--state-dir", state.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(r.all()).as("refused for the right reason: there is no rollout").contains("no rollout of 'corpus-bot'");
        Cli.Result deploy = Cli.run("deploy", "-f", plan.toString(), "--state-dir", state.toString());
        assertThat(deploy.all()).as("the state directory passes; the database is what is missing")
                .contains("127.0.0.1:1/none").doesNotContain("owned by");
    }

    private static void assertThatRefusedBecauseOf(Cli.Result r, Path dir) {
        assertThat(r.all()).contains(dir.toString()).contains("uid " + ATTACKER);
    }

    private static void assertRefused(Runnable action) {
        try {
            action.run();
        } catch (LocalFileException e) {
            assertThat(e.getMessage()).contains("uid " + ATTACKER);
            return;
        }
        throw new AssertionError("not refused");
    }

    private static void asAttacker(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=" + ATTACKER, "--regid=" + ATTACKER, "--clear-groups",
                "/bin/sh", "-c", script).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("the attacker's script: " + out).isZero();
    }

    /** Every entry under {@code dir}: its kind, owner and content (or link target), without following links. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                String owner = String.valueOf(Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS));
                String mode = Integer.toOctalString((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS));
                String what = Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p)
                        : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir"
                        : Files.readString(p) + " mtime " + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
                out.put(dir.relativize(p).toString(), owner + " " + mode + " " + what);
            }
        }
        return out;
    }
}
