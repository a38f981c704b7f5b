package dev.botshift.workload.local;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import sun.misc.Signal;

/**
 * A tiny real bot for the tests: HTTP on {@code PORT}, {@code /healthz} 200, drains on SIGTERM. Knobs (env):
 * {@code TEST_BOT_NEVER_READY} (health 503), {@code TEST_BOT_NOT_READY_IF} (health 503 while the file it names
 * exists), {@code TEST_BOT_EXIT} (exit 3 at once), {@code TEST_BOT_EXIT_IF} (exit 3
 * at once while the file it names exists), {@code TEST_BOT_IGNORE_TERM} (SIGTERM does nothing), {@code TEST_BOT_ANSWER_AFTER_MS} (each
 * answer to anything but {@code /healthz} comes that long after its request; SIGTERM breaks off the ones under way). It halts itself after {@code TEST_BOT_MAX_SECONDS} (default 90) so a crashed test run never
 * leaves it behind.
 */
public final class TestBot {
    public static void main(String[] args) throws Exception {
        long maxSeconds = Long.parseLong(System.getenv().getOrDefault("TEST_BOT_MAX_SECONDS", "90"));
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(maxSeconds * 1000);
            } catch (InterruptedException ignored) {
                return;
            }
            Runtime.getRuntime().halt(9);
        });
        watchdog.setDaemon(true);
        watchdog.start();
        if (System.getenv("TEST_BOT_EXIT") != null) {
            System.out.println("test bot: cannot start, TEST_BOT_EXIT is set");
            System.exit(3);
        }
        String exitIf = System.getenv("TEST_BOT_EXIT_IF");
        if (exitIf != null && java.nio.file.Files.exists(java.nio.file.Path.of(exitIf))) {
            System.out.println("test bot: cannot start, " + exitIf + " exists");
            System.exit(3);
        }
        if (System.getenv("TEST_BOT_IGNORE_TERM") != null) {
            Signal.handle(new Signal("TERM"), s -> System.out.println("test bot: ignoring SIGTERM"));
        }
        boolean neverReady = System.getenv("TEST_BOT_NEVER_READY") != null;
        String notReadyIf = System.getenv("TEST_BOT_NOT_READY_IF");
        int port = Integer.parseInt(System.getenv("PORT"));
        // the JDK's server itself, not os.JdkHttpServer: this bot runs with the test classes alone on its classpath
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/healthz", exchange -> {
            boolean notReady = neverReady
                    || notReadyIf != null && java.nio.file.Files.exists(java.nio.file.Path.of(notReadyIf));
            exchange.sendResponseHeaders(notReady ? 503 : 200, -1);
            exchange.close();
        });
        long answerAfter = Long.parseLong(System.getenv().getOrDefault("TEST_BOT_ANSWER_AFTER_MS", "0"));
        if (answerAfter > 0) { // /healthz answers while a slow answer waits
            server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        }
        server.createContext("/", exchange -> {
            try {
                Thread.sleep(answerAfter);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = (System.getenv("BOT_SLOT") + " " + System.getenv("BOT_VERSION") + " db="
                    + System.getenv("DB_URL")).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("test bot: SIGTERM received, draining");
            server.stop(0);
            System.out.println("test bot: drained");
        }));
        server.start();
        System.out.println("test bot: listening on " + port);
    }
}
