package dev.botshift.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.ExitCode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of {@link BadInputs} (and {@link HostileInputs}), through the real command tree against a real
 * PostgreSQL: exit code 2, a message naming the file and field (or the unreachable endpoint), no stack trace, no
 * secret, and nothing changed. An IT: its hundred-odd cases take a while.
 */
class BadInputCorpusIT {
    @TempDir
    static Path dir;
    static CorpusWorkspace ws;
    static ServerSocket taken;
    static int refusingPort;
    static FakePostgres wrongPassword;
    static FakePostgres noSuchRole;
    static ServerSocket notADatabase;
    static final List<String> PROPERTIES = List.of("kubeconfig", "kubernetes.auth.tryServiceAccount",
            "kubernetes.connection.timeout");

    @BeforeAll
    static void workspace() throws IOException {
        ws = new CorpusWorkspace(dir);
        taken = new ServerSocket(0);
        try (ServerSocket s = new ServerSocket(0)) {
            refusingPort = s.getLocalPort();
        }
        wrongPassword = new FakePostgres("28P01", "password authentication failed for user \"postgres\"");
        noSuchRole = new FakePostgres("28000", "role \"postgres\" does not exist");
        notADatabase = new ServerSocket(0);
        Thread http = new Thread(() -> {
            while (!notADatabase.isClosed()) {
                try (java.net.Socket s = notADatabase.accept()) {
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes());
                } catch (IOException e) {
                    // closed: done
                }
            }
        }, "not-a-database");
        http.setDaemon(true);
        http.start();
        // the Kubernetes case: a kubeconfig whose API server refuses connections (the check before a run retries once)
        Path kubeconfig = ws.write("kubeconfig.yaml", """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}}]
                users: [{name: u, user: {token: S3cret-canary-token-5521}}]
                contexts: [{name: x, context: {cluster: c, user: u, namespace: bots}}]
                current-context: x
                """.formatted(refusingPort));
        System.setProperty("kubeconfig", kubeconfig.toString());
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        System.setProperty("kubernetes.connection.timeout", "2000");
    }

    @AfterAll
    static void release() throws IOException {
        taken.close();
        wrongPassword.close();
        noSuchRole.close();
        notADatabase.close();
        PROPERTIES.forEach(System::clearProperty);
        LeftBehind.stopRouters(dir);
    }

    static Stream<BadInputs.Case> corpus() {
        // the ports are known only once the workspace exists; JUnit calls this after @BeforeAll
        return BadInputs.all(ws, new BadInputs.Endpoints(taken.getLocalPort(), refusingPort, wrongPassword.port(),
                noSuchRole.port(), notADatabase.getLocalPort())).stream();
    }

    @Test
    void theCorpusHasAtLeastAHundredCases() {
        assertThat(corpus().count()).isGreaterThanOrEqualTo(100);
        assertThat(corpus().map(BadInputs.Case::name)).doesNotHaveDuplicates();
    }

    @Test
    void theBasePlanIsValidSoEachCaseBreaksExactlyOneThing() {
        Path plan = ws.write("base.yaml", ws.basePlan());
        Cli.Result r = Cli.run("plan", "-f", plan.toString(), "--no-sql");
        assertThat(r.exitCode()).as(r.all()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedWithNothingChanged(BadInputs.Case c) throws IOException {
        String slug = c.name().replaceAll("[^A-Za-z0-9]+", "-");
        Path state = dir.resolve("state-" + slug);
        seedState(state);
        if (c.seed() != null) {
            c.seed().into(state);
        }
        String planName = slug + ".yaml";
        if (c.plan() != null) {
            String text = c.plan().apply(ws.basePlan());
            if (text == null) {
                ws.writeBytes(planName, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xff, (byte) 0xfe, '\n'});
            } else {
                ws.write(planName, text);
            }
        }
        Untouched before = Untouched.capture(CorpusWorkspace.DATABASE, state);

        Cli.Result r = Cli.run(args(c, dir.resolve(planName), state));

        assertThat(r.exitCode()).as("exit code of %s\n%s", c, r.all()).isEqualTo(ExitCode.INVALID_INPUT);
        for (String name : c.names()) {
            assertThat(r.all()).as("the message names it").contains(name.replace("{plan}", planName)
                    .replace("{state}", state.toString()));
        }
        assertThat(Cli.looksLikeACrash(r.all())).as("no stack trace:\n%s", r.all()).isFalse();
        assertThat(r.all()).doesNotContain(CorpusWorkspace.PASSWORD).doesNotContain("S3cret-canary-token");
        before.assertSame(CorpusWorkspace.DATABASE, state);
    }

    /** A state dir as a previous run left it: a router config that must stay as it is. */
    private static void seedState(Path state) throws IOException {
        Path router = Files.createDirectories(state.resolve("corpus-bot").resolve("router"));
        Files.writeString(router.resolve("config.json"),
                "{\"weights\":{\"blue\":100,\"green\":0},\"stickyBy\":\"$.message.chat.id\"}");
    }

    private static String[] args(BadInputs.Case c, Path plan, Path state) {
        List<String> out = new ArrayList<>();
        for (String a : c.args()) {
            if (!a.isEmpty()) {
                out.add(a.replace("{plan}", plan.toString()).replace("{state}", state.toString()));
            }
        }
        return out.toArray(String[]::new);
    }
}
