package dev.botshift.traffic.router;

import dev.botshift.core.Slot;
import dev.botshift.os.ListenPort;
import dev.botshift.testing.Slow;
import dev.botshift.testing.ListeningSockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router's hot spare as real processes: it binds nothing before the go, serves the stored split within a fraction
 * of a second after it, takes the router's token only then, leaves when its supervisor is killed, and a dead spare
 * means a cold start, not a failure.
 */
@Slow
class RouterSpareTest {
    /** Generous for a loaded 2-core machine; a spare's take-over measures 0.1–0.3 s, a cold start 3–4 s. */
    private static final Duration TAKE_OVER = Duration.ofMillis(1500);

    @TempDir
    Path dir;
    private RouterSpare spare;
    private RouterProcess router;
    private Process launcher;

    @AfterEach
    void cleanUp() {
        if (launcher != null) {
            launcher.destroyForcibly();
        }
        if (spare != null) {
            spare.close();
        }
        if (router != null) {
            router.stop();
        }
    }

    @Test
    void aSpareBindsNoPortBeforeTheGoThenServesTheStoredSplitWithTheRoutersPortAndToken() throws Exception {
        try (FakeBackend blue = new FakeBackend("blue")) {
            Path config = configSendingAllTo(blue);
            int port = freePort();
            AdminToken.generate().writeTo(dir.resolve(AdminToken.FILE_NAME));
            String live = Files.readString(dir.resolve(AdminToken.FILE_NAME));
            RouterProcess.Options options = RouterProcess.Options.of(port, 0, config);
            spare = RouterSpare.start(dir, options);
            awaitLog("router standby (pid " + spare.pid() + "): warm", Duration.ofSeconds(60));

            assertThat(ListeningSockets.portsOf(spare.pid())).as("a waiting spare listens on nothing").isEmpty();
            assertThat(canBind(port)).as("the router's port stays free until the go").isTrue();
            assertThat(Files.readString(dir.resolve(AdminToken.FILE_NAME)))
                    .as("the live router's token file is untouched").isEqualTo(live);
            assertThat(Files.readString(dir.resolve(RouterProcess.LOG_FILE))).doesNotContain("router listening on");

            long from = System.nanoTime();
            router = RouterProcess.attachOrStart(dir, options, spare);
            Duration took = Duration.ofNanos(System.nanoTime() - from);
            System.out.println("measured: a waiting spare promoted (go to \"listening\") in " + took.toMillis() + " ms");

            assertThat(router.pid()).as("the spare took over: no cold start").isEqualTo(spare.pid());
            assertThat(took).as("promoted in " + took.toMillis() + " ms").isLessThan(TAKE_OVER);
            assertThat(router.listenPort()).isEqualTo(port);
            assertThat(post(router.listenUri())).isEqualTo("blue");
            assertThat(ListeningSockets.portsOf(spare.pid())).contains(port, router.adminPort());
            // every client reads the token from admin-token: now the spare's, and a re-attach steers it
            RouterProcess attached = RouterProcess.attach(dir).orElseThrow();
            assertThat(attached.pid()).isEqualTo(spare.pid());
            assertThat(attached.client().acceptsCredentials()).isTrue();
            assertThat(spareFiles()).isEmpty();
            spare.close();
            assertThat(router.alive()).as("closing a promoted spare leaves the router serving").isTrue();
            spare = null;
        }
    }

    @Test
    void aSpareLeavesWithoutServingWhenItsSupervisorIsKilled() throws Exception {
        Path config = dir.resolve("router.json");
        int port = freePort();
        launcher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LaunchingClient.class.getName(),
                dir.toString(), config.toString(), "spare", String.valueOf(port))
                .redirectErrorStream(true)
                .start();
        long sparePid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(launcher.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line = out.readLine();
            while (line != null && !line.startsWith("spare pid ")) {
                line = out.readLine();
            }
            assertThat(line).as("the launcher never reported its spare").isNotNull();
            sparePid = Long.parseLong(line.substring("spare pid ".length()).trim());
        }
        awaitLog("router standby (pid " + sparePid + "): warm", Duration.ofSeconds(60));
        ProcessHandle spareProcess = ProcessHandle.of(sparePid).orElseThrow();

        launcher.destroyForcibly(); // kill -9: no hook of the supervisor runs
        assertThat(launcher.waitFor(10, TimeUnit.SECONDS)).isTrue();

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (running(spareProcess) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(running(spareProcess)).as("the spare outlived its supervisor").isFalse();
        assertThat(canBind(port)).isTrue();
        assertThat(Files.readString(dir.resolve(RouterProcess.LOG_FILE))).doesNotContain("router listening on");
    }

    @Test
    void aDeadSpareMeansAColdStartAndAClosedSpareLeavesNothing() throws Exception {
        try (FakeBackend blue = new FakeBackend("blue")) {
            Path config = configSendingAllTo(blue);
            RouterProcess.Options options = RouterProcess.Options.of(freePort(), 0, config);
            spare = RouterSpare.start(dir, options);
            long sparePid = spare.pid();
            spare.close();
            assertThat(spare.alive()).isFalse();
            assertThat(spareFiles()).as("a closed spare's token and record").isEmpty();

            router = RouterProcess.attachOrStart(dir, options, spare);
            assertThat(router.pid()).as("started cold").isNotEqualTo(sparePid);
            assertThat(post(router.listenUri())).isEqualTo("blue");
            assertThat(RouterProcess.attach(dir).orElseThrow().client().acceptsCredentials()).isTrue();
            spare = null;
        }
    }

    private List<String> spareFiles() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith(RouterSpare.TOKEN_PREFIX) || n.startsWith(RouterSpare.RECORD_PREFIX))
                    .toList();
        }
    }

    private Path configSendingAllTo(FakeBackend blue) {
        Path config = dir.resolve("router.json");
        try (FileRouterConfigSource source = FileRouterConfigSource.open(config)) {
            source.store(RouterConfig.initial().withBackends(Slot.A, List.of(blue.uri())));
        }
        return config;
    }

    private void awaitLog(String text, Duration timeout) throws Exception {
        Path log = dir.resolve(RouterProcess.LOG_FILE);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' in " + log + " within " + timeout + ":\n"
                + (Files.exists(log) ? Files.readString(log) : "(no log)"));
    }

    private static String post(URI base) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/hook"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"message\":{\"chat\":{\"id\":7}}}")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Alive and not a zombie: an orphan whose reaper does not reap still shows, exited. */
    private static boolean running(ProcessHandle p) {
        return dev.botshift.os.ProcessLife.alive(p);
    }

    static int freePort() {
        return ListenPort.pick(); // below the ephemeral range: no outgoing connection takes it first
    }

    static boolean canBind(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
