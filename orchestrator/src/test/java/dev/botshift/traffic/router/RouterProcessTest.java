package dev.botshift.traffic.router;

import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.testing.Slow;
import dev.botshift.testing.StopSignal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
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

@Slow
class RouterProcessTest {
    @TempDir
    Path dir;
    private RouterProcess router;
    private Process client;

    @AfterEach
    void cleanUp() {
        if (client != null) {
            client.destroyForcibly();
        }
        if (router != null) {
            router.stop();
        }
    }

    @Test
    void theRouterIsItsOwnProcessThatOutlivesItsLauncherAndIsReattached() throws Exception {
        Path config = dir.resolve("router.json");
        client = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LaunchingClient.class.getName(),
                dir.toString(), config.toString())
                .redirectErrorStream(true)
                .start();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
            line = out.readLine();
            while (line != null && !line.startsWith("router pid ")) {
                line = out.readLine();
            }
            assertThat(line).as("launching client never reported the router").isNotNull();
            long launchedPid = Long.parseLong(line.substring("router pid ".length()).trim());

            // the launcher dies the hard way, as a crashed rollout would
            client.destroyForcibly();
            assertThat(client.waitFor(10, TimeUnit.SECONDS)).isTrue();

            router = RouterProcess.attachOrStart(dir, RouterProcess.Options.of(0, 0, config));
            assertThat(router.pid()).isEqualTo(launchedPid).isNotEqualTo(client.pid()).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(router.alive()).isTrue();
            assertThat(Files.readString(dir.resolve(RouterProcess.STATE_FILE))).contains("\"pid\":" + launchedPid);
        }

        try (FakeBackend blue = new FakeBackend("blue")) {
            router.client().setBackends(Slot.A, List.of(blue.uri()));
            router.client().setWeights(Weights.allTo(Slot.A));
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(router.listenUri() + "/hook"))
                            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("blue");
        }

        RouterProcess again = RouterProcess.attachOrStart(dir, RouterProcess.Options.of(0, 0, config));
        assertThat(again.pid()).isEqualTo(router.pid());

        router.stop();
        assertThat(router.alive()).isFalse();
        assertThat(dir.resolve(RouterProcess.STATE_FILE)).doesNotExist();
        assertThat(Files.readString(dir.resolve(RouterProcess.LOG_FILE))).contains("router listening on " + router.listenPort());
        router = null;
    }

    /**
     * With no supervisor to watch it, a router that lives but answers nothing (SIGSTOP: what a deadlock looks like from
     * outside) held its port: the next start waited about 50 s for it, then failed on the port, and {@code down}
     * left it. Now it is found by its recorded start, killed, and a new router serves its port.
     */
    @Test
    @Slow // five looks of 2 s at a stopped router
    void aRecordedRouterThatLivesButAnswersNothingIsKilledAndANewOneServesItsPort() throws Exception {
        Path config = dir.resolve("router.json");
        RouterProcess hung = RouterProcess.attachOrStart(dir, RouterProcess.Options.of(0, 0, config));
        router = hung;
        int port = hung.listenPort();
        StopSignal.stop(hung.pid());
        assertThat(RouterProcess.recorded(dir)).as("what down stops: answering or not").map(RouterProcess::pid)
                .hasValue(hung.pid());

        long t0 = System.nanoTime();
        router = RouterProcess.attachOrStart(dir, RouterProcess.Options.of(port, 0, config));
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;

        System.out.println("measured: a hung router replaced by a new one in " + tookMillis + " ms");
        assertThat(router.pid()).isNotEqualTo(hung.pid());
        assertThat(router.listenPort()).isEqualTo(port);
        assertThat(hung.alive()).as("killed, not left stopped").isFalse();
        assertThat(tookMillis).as("five looks of 2 s, the kill and a start").isLessThan(25_000);
        assertThat(Files.readString(dir.resolve(RouterProcess.LOG_FILE)))
                .contains("the router (pid " + hung.pid() + ") lived but failed its health check");
    }

    /**
     * The plan's {@code traffic.answerTimeout} reaches the router as its argument; a running router that waits
     * otherwise (started before the plan changed it) is started again with it, one that waits the same is kept.
     */
    @Test
    void aRouterWaitingOtherwiseForABotsAnswerIsStartedAgainWithTheTimeoutAsked() throws Exception {
        Path config = dir.resolve("router.json");
        router = RouterProcess.attachOrStart(dir, RouterProcess.Options.of(0, 0, config));
        long byDefault = router.pid();
        assertThat(commandLine(byDefault)).containsSequence("--answer-timeout", "1m");
        assertThat(RouterProcess.attachOrStart(dir, RouterProcess.Options.of(0, 0, config)
                .withAnswerTimeout(Duration.ofSeconds(60))).pid()).as("the same wait: kept").isEqualTo(byDefault);

        router = RouterProcess.attachOrStart(dir, RouterProcess.Options.of(0, 0, config)
                .withAnswerTimeout(Duration.ofSeconds(90)));
        assertThat(router.pid()).as("another wait: started again").isNotEqualTo(byDefault);
        assertThat(ProcessHandle.of(byDefault).filter(ProcessHandle::isAlive)).as("the old one stopped").isEmpty();
        assertThat(commandLine(router.pid())).containsSequence("--answer-timeout", "90s");
        assertThat(Files.readString(dir.resolve(RouterProcess.STATE_FILE))).contains("\"answerTimeout\":\"90s\"");
        assertThat(RouterProcess.attachOrStart(dir, RouterProcess.Options.of(0, 0, config)
                .withAnswerTimeout(Duration.ofSeconds(90))).pid()).isEqualTo(router.pid());
    }

    /**
     * A router replaced because the plan asks other options (here the answer timeout) listens on the port beside the
     * old one, and the old one is stopped only then: webhooks sent all the while, each on a new connection, are all
     * answered. Stopping the old router first refused them for the seconds a router takes to start.
     */
    @Test
    void aRouterStartedAgainWithOtherOptionsTakesOverItsPortWithoutRefusingAWebhook() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(WebhookPort.PORT_SHARING, "SO_REUSEPORT");
        int port = freePort();
        Path config = dir.resolve("router.json");
        router = RouterProcess.attachOrStart(dir, RouterProcess.Options.of(port, 0, config));
        RouterProcess old = router;
        try (FakeBackend blue = new FakeBackend("blue")) {
            router.client().setBackends(Slot.A, List.of(blue.uri()));
            router.client().setWeights(Weights.allTo(Slot.A));
            // sent only once blue is routed to: a webhook before that is answered 503 (no colour to route to)
            try (Webhooks webhooks = new Webhooks(port)) {
                webhooks.awaitAnswered(20);

                router = RouterProcess.attachOrStart(dir, RouterProcess.Options.of(port, 0, config)
                        .withAnswerTimeout(Duration.ofSeconds(90)));
                webhooks.awaitAnswered(webhooks.answered() + 50);
                webhooks.close();

                System.out.println("measured: " + webhooks.answered() + " webhooks answered across the change, "
                        + webhooks.failures().size() + " failed");
                assertThat(router.pid()).isNotEqualTo(old.pid());
                assertThat(old.alive()).as("the old router stopped").isFalse();
                assertThat(router.listenPort()).isEqualTo(port);
                assertThat(commandLine(router.pid())).containsSequence("--answer-timeout", "90s");
                assertThat(webhooks.failures()).as("refused or failed webhooks during the change").isEmpty();
                assertThat(router.client().acceptsCredentials()).as("admin-token is the new router's").isTrue();
                assertThat(Files.readString(dir.resolve(RouterProcess.LOG_FILE)))
                        .contains("serves port " + port + " beside the one it replaces (pid " + old.pid() + ",");
                assertThat(dir.resolve(RouterProcess.STATE_FILE)).content().contains("\"pid\":" + router.pid());
            }
        }
    }

    /** Every router binds so that its successor can share the port; a second router not asked to is still refused. */
    @Test
    void aSecondRouterOnAPortARouterServesIsRefused(@TempDir Path other) throws Exception {
        int port = freePort();
        router = RouterProcess.attachOrStart(dir, RouterProcess.Options.of(port, 0, dir.resolve("router.json")));

        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> RouterProcess.attachOrStart(other,
                            RouterProcess.Options.of(port, 0, other.resolve("router.json"))))
                    .isInstanceOf(dev.botshift.core.InvalidInputException.class)
                    .hasMessageContaining(String.valueOf(port))
                    .hasMessageContaining("in use");
            assertThat(router.alive()).isTrue();
        } finally {
            RouterProcess.recorded(other).ifPresent(RouterProcess::stop); // a second router started by mistake
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Webhooks sent one after the other, each on a connection of its own, until closed; what failed, and why. */
    private static final class Webhooks implements AutoCloseable {
        private final int port;
        private final java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile boolean sending = true;
        private final Thread sender;

        Webhooks(int port) {
            this.port = port;
            sender = new Thread(this::send, "webhooks");
            sender.start();
        }

        private void send() {
            byte[] request = ("POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2\r\nConnection: close\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII);
            while (sending) {
                try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write(request);
                    String status = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                            StandardCharsets.US_ASCII)).readLine();
                    if (status != null && status.startsWith("HTTP/1.1 200")) {
                        answered.incrementAndGet();
                    } else {
                        failures.add(String.valueOf(status));
                    }
                } catch (java.io.IOException e) {
                    failures.add(e.toString());
                }
            }
        }

        int answered() {
            return answered.get();
        }

        List<String> failures() {
            return failures;
        }

        void awaitAnswered(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (answered.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(answered.get()).as("webhooks answered").isGreaterThanOrEqualTo(count);
        }

        @Override
        public void close() throws InterruptedException {
            sending = false;
            sender.join(15_000);
        }
    }

    private static List<String> commandLine(long pid) throws java.io.IOException {
        return List.of(Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0"));
    }

    /** A pid the OS gave to another process since the router's record was written: never killed, never stopped. */
    @Test
    void aProcessThatTookARecordedRoutersPidIsLeftAlone() throws Exception {
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(dir.resolve(RouterProcess.STATE_FILE), "{\"pid\":" + other.pid()
                    + ",\"startedAt\":1000,\"startTicks\":7,\"listenPort\":1,\"adminPort\":1,\"verify\":\"none\"}");

            assertThat(RouterProcess.recorded(dir)).isEmpty();
            router = RouterProcess.attachOrStart(dir, RouterProcess.Options.of(0, 0, dir.resolve("router.json")));

            assertThat(other.isAlive()).isTrue();
            assertThat(router.pid()).isNotEqualTo(other.pid());
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void aRouterThatCannotStartReportsItsOutput() throws Exception {
        Path config = dir.resolve("broken.json");
        Files.writeString(config, "{\"weights\": {\"a\": 50}, \"stickyBy\": \"message.chat\"}");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> RouterProcess.attachOrStart(dir, RouterProcess.Options.of(0, 0, config)))
                .as("a router refusing its config is the caller's mistake: exit 2, not an internal error")
                .isInstanceOf(dev.botshift.core.InvalidInputException.class)
                .hasMessageContaining("exited with 2")
                .hasMessageContaining("stickyBy");
    }
}
