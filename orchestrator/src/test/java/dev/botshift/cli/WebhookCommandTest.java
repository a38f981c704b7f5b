package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.ExitCode;
import dev.botshift.demo.FakeTelegramApi;
import dev.botshift.traffic.router.WebhookSecrets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code botshift webhook set|rotate|delete|info} against the fake Bot API, in-process: what each does to the webhook
 * and to the secrets file, that no output ever holds the token or a secret, and the refusals (exit 2, or 6 for an
 * API that does not answer) that name the option or variable at fault, with no stack trace.
 */
class WebhookCommandTest {
    static final String TOKEN = "777:cli-test-TOKEN_value";

    @TempDir
    Path state;

    FakeTelegramApi telegram;
    final Map<String, String> env = new HashMap<>(Map.of("BOT_TOKEN", TOKEN));

    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void start() {
        telegram = new FakeTelegramApi(TOKEN);
    }

    @AfterEach
    void stop() {
        telegram.close();
    }

    /** Runs {@code botshift webhook <args>} with {@link #env} as the environment the token is read from. */
    Run webhook(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                K made = defaults.create(type);
                if (made instanceof WebhookOptions options) {
                    options.environment = env;
                }
                return made;
            }
        };
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            CommandLine cl = Main.commandLine(factory);
            cl.setOut(new PrintWriter(o, true));
            cl.setErr(new PrintWriter(e, true));
            List<String> all = new ArrayList<>(List.of("webhook"));
            all.addAll(List.of(args));
            int code = cl.execute(all.toArray(String[]::new));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** {@code args} for the app {@code bot} in this test's state directory, against the fake API. */
    Run onFake(String command, String... args) {
        List<String> all = new ArrayList<>(List.of(command, "bot", "--state-dir", state.toString(),
                "--api-url", telegram.baseUrl().toString()));
        all.addAll(List.of(args));
        return webhook(all.toArray(String[]::new));
    }

    Path secretsFile() {
        return state.resolve("bot").resolve("router").resolve(WebhookSecrets.FILE_NAME);
    }

    /** Neither the token nor any secret ever registered may appear in anything the CLI printed. */
    void leaksNothing(Run run, List<String> secrets) {
        for (String text : List.of(run.out(), run.err())) {
            assertThat(text).doesNotContain(TOKEN).doesNotContain("cli-test-TOKEN").doesNotContain("Exception")
                    .doesNotContain("\tat ");
            for (String secret : secrets) {
                assertThat(text).doesNotContain(secret);
            }
        }
    }

    @Test
    void setRotateInfoAndDeleteDoWhatTheySayAndPrintNoSecret() throws Exception {
        List<String> secrets = new ArrayList<>();
        telegram.message(1, "waiting 1");
        telegram.message(2, "waiting 2");

        Run set = onFake("set", "--url", "https://bots.example.com/telegram", "--allowed-updates", "message, callback_query");
        assertThat(set.code()).as(set.err()).isZero();
        secrets.add(telegram.webhookSecret());
        assertThat(set.out()).contains("webhook of bot set to https://bots.example.com/telegram with a new secret")
                .contains(secretsFile().toString()).contains("pending updates: 2 (kept)")
                .contains("secret: registered");
        assertThat(telegram.webhookSecret()).isEqualTo(WebhookSecrets.read(secretsFile()).orElseThrow().current());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secretsFile()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secretsFile().getParent())))
                .isEqualTo("rwx------");
        leaksNothing(set, secrets);

        Run rotate = onFake("rotate", "--grace", "2m");
        assertThat(rotate.code()).as(rotate.err()).isZero();
        secrets.add(telegram.webhookSecret());
        assertThat(secrets.get(1)).isNotEqualTo(secrets.get(0));
        assertThat(rotate.out()).contains("webhook secret of bot rotated").contains("accepted until");
        assertThat(telegram.webhookUrl()).as("kept").isEqualTo("https://bots.example.com/telegram");
        assertThat(telegram.webhookMaxConnections()).as("kept as getWebhookInfo said").isEqualTo(40);
        leaksNothing(rotate, secrets);

        telegram.lastWebhookError("Wrong response from the webhook: 403 Forbidden");
        Run info = onFake("info");
        assertThat(info.code()).as(info.err()).isZero();
        assertThat(info.out()).contains("url:              https://bots.example.com/telegram")
                .contains("pending updates:  2").contains("Wrong response from the webhook: 403 Forbidden")
                .contains("allowed updates:  message, callback_query").contains("the previous one accepted until");
        leaksNothing(info, secrets);
        Run json = onFake("info", "-o", "json");
        assertThat(json.code()).isZero();
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertThat(node.path("allowedUpdates").toString()).isEqualTo("[\"message\",\"callback_query\"]");
        assertThat(node.path("secret").path("registered").asBoolean()).isTrue();
        assertThat(node.path("secret").path("rotationCutShort").asBoolean()).isFalse();
        leaksNothing(json, secrets);

        Run delete = onFake("delete");
        assertThat(delete.code()).as(delete.err()).isZero();
        assertThat(delete.out()).contains("webhook of bot deleted; 2 pending updates kept for getUpdates");
        assertThat(telegram.webhookUrl()).isEmpty();
        assertThat(telegram.pending()).as("deleteWebhook never drops unless asked").isEqualTo(2);
        assertThat(onFake("info").out()).contains("(none: the bot is polled)");

        Run again = onFake("set", "--url", "https://bots.example.com/telegram");
        assertThat(again.out()).contains("with the secret registered before");
        assertThat(telegram.webhookSecret()).isEqualTo(secrets.get(1));
        Run drop = onFake("delete", "--drop-pending-updates");
        assertThat(drop.code()).isZero();
        assertThat(telegram.pending()).isZero();
        leaksNothing(drop, secrets);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            http webhook URL         | set --url http://bots.example.com/hook                                  | --url: must be https://
            not a URL                | set --url bots.example.com/hook                                         | --url: must be an absolute https:// URL
            URL with user info       | set --url https://me:pa55word@bots.example.com/hook                     | --url: must not carry user info
            port Telegram refuses    | set --url https://bots.example.com:8080/hook                            | --url: Telegram delivers webhooks to ports 443, 80, 88 and 8443 only, got port 8080
            http API elsewhere       | set --url https://bots.example.com/hook --api-url http://api.example.com | --api-url: must be https://
            API URL with a query     | set --url https://bots.example.com/hook --api-url https://a.example/?x=1 | --api-url: must be a base URL without query
            token variable unset     | set --url https://bots.example.com/hook --token-env NO_SUCH_TOKEN        | environment variable NO_SUCH_TOKEN is not set
            token variable empty     | set --url https://bots.example.com/hook --token-env EMPTY_TOKEN          | environment variable EMPTY_TOKEN is empty
            not a token              | set --url https://bots.example.com/hook --token-env ODD_TOKEN            | ODD_TOKEN does not hold a bot token
            app name as a path       | set ../../etc --url https://bots.example.com/hook                       | <app>: '../../etc' is not an app name
            odd update types         | set --url https://bots.example.com/hook --allowed-updates message,DROP;x | --allowed-updates: must be update types
            zero timeout             | info --api-timeout 0s                                                   | --api-timeout: must be longer than 0
            negative grace           | rotate --grace -1m                                                      | --grace:
            """)
    void refusedBeforeAnythingIsSentOrWritten(String why, String args, String message) {
        env.put("EMPTY_TOKEN", "");
        env.put("ODD_TOKEN", "777/../../x?y " + TOKEN);
        List<String> all = new ArrayList<>(List.of(args.split(" ")));
        if (!all.get(1).startsWith("../")) {
            all.add(1, "bot");
        }
        all.addAll(List.of("--state-dir", state.toString()));
        Run run = webhook(all.toArray(String[]::new));
        assertThat(run.code()).as(why + ": " + run.err()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(run.err()).as(why).contains(message).doesNotContain("pa55word");
        leaksNothing(run, List.of());
        assertThat(telegram.requests()).as("nothing sent").isZero();
        assertThat(Files.exists(state.resolve("bot"))).as("nothing written").isFalse();
    }

    @Test
    void anApiThatRefusesCannotBeReachedOrDoesNotAnswerIsNamedByItsBaseUrlOnly() throws Exception {
        env.put("BOT_TOKEN", "777:a-wrong-token");
        Run wrongToken = onFake("info");
        assertThat(wrongToken.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(wrongToken.err()).contains("getWebhookInfo at " + telegram.baseUrl() + ": HTTP 401")
                .contains("is the token right?").doesNotContain("a-wrong-token");
        env.put("BOT_TOKEN", TOKEN);

        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Run unreachable = webhook("info", "bot", "--state-dir", state.toString(),
                "--api-url", "http://127.0.0.1:" + closedPort);
        assertThat(unreachable.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(unreachable.err()).contains("the Bot API cannot be reached (getWebhookInfo at http://127.0.0.1:"
                + closedPort + "): connection refused");
        leaksNothing(unreachable, List.of());

        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // accepted, never answered
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.start();
            long started = System.nanoTime();
            Run silentRun = webhook("set", "bot", "--url", "https://bots.example.com/hook", "--state-dir",
                    state.toString(), "--api-url", "http://127.0.0.1:" + silent.getLocalPort(), "--api-timeout", "300ms");
            assertThat(silentRun.code()).isEqualTo(ExitCode.TIMED_OUT);
            assertThat(silentRun.err()).contains("did not answer setWebhook at http://127.0.0.1:" + silent.getLocalPort()
                    + " within 300ms");
            assertThat((System.nanoTime() - started) / 1_000_000).as("no hang").isLessThan(10_000);
            leaksNothing(silentRun, List.of(WebhookSecrets.read(secretsFile()).orElseThrow().current()));
        }

        telegram.refuse("setWebhook", "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
        Run refused = onFake("set", "--url", "https://bots.example.com:9999/hook");
        assertThat(refused.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(refused.err()).contains("setWebhook at " + telegram.baseUrl() + ": HTTP 400: Bad Request: bad webhook");
        leaksNothing(refused, List.of());
    }

    @Test
    void rotatingNeedsARegisteredSecretAndASetWebhook() {
        Run nothing = onFake("rotate");
        assertThat(nothing.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(nothing.err()).contains("no webhook secret is registered in " + secretsFile())
                .contains("run 'botshift webhook set' first");
        assertThat(telegram.calls("getWebhookInfo")).isZero();

        assertThat(onFake("set", "--url", "https://bots.example.com/hook").code()).isZero();
        assertThat(onFake("delete").code()).isZero();
        Run polled = onFake("rotate");
        assertThat(polled.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(polled.err()).contains("the bot has no webhook (it is polled): nothing to rotate");
        assertThat(telegram.calls("setWebhook")).isEqualTo(1);
    }

    @Test
    void setIsRefusedWhileTheAppsRunningRouterWouldNotTakeTheWebhook() throws Exception {
        Path routerDir = secretsFile().getParent();
        dev.botshift.os.PrivateDirectory.ensure(state, routerDir);
        var token = dev.botshift.traffic.router.AdminToken.generate()
                .writeTo(routerDir.resolve(dev.botshift.traffic.router.AdminToken.FILE_NAME));
        var router = new dev.botshift.traffic.router.RouterServer(
                dev.botshift.traffic.router.FileRouterConfigSource.open(routerDir.resolve("config.json")), 0, 0,
                dev.botshift.traffic.router.RouterServer.Guards.local(token)).start();
        try {
            for (String verify : List.of("telegram TG_SECRET", "none", "polling BOT_TOKEN https://api.telegram.org /")) {
                recordRouter(routerDir, router, verify);
                Run refused = onFake("set", "--url", "https://bots.example.com/hook");
                assertThat(refused.code()).as(verify).isEqualTo(ExitCode.INVALID_INPUT);
                assertThat(refused.err()).as(verify).contains("the router of bot")
                        .contains(verify.startsWith("polling") ? "polls the Bot API" : "does not verify webhooks with the"
                                + " registered secret").contains("docs/polling.md");
                assertThat(telegram.calls("setWebhook")).as("nothing sent").isZero();
            }
            Run forced = onFake("set", "--url", "https://bots.example.com/hook", "--force");
            assertThat(forced.code()).as(forced.err()).isZero();
            recordRouter(routerDir, router, "telegram file " + secretsFile());
            Run ready = onFake("set", "--url", "https://bots.example.com/hook");
            assertThat(ready.code()).as(ready.err()).isZero();
        } finally {
            router.stop();
        }
    }

    /** What RouterProcess records for a router it started, pointing at {@code router} in this JVM. */
    private static void recordRouter(Path dir, dev.botshift.traffic.router.RouterServer router, String verify)
            throws Exception {
        Files.writeString(dir.resolve(dev.botshift.traffic.router.RouterProcess.STATE_FILE),
                "{\"pid\": " + ProcessHandle.current().pid() + ", \"listenPort\": " + router.listenPort()
                        + ", \"adminPort\": " + router.adminPort() + ", \"verify\": \"" + verify + "\"}");
    }

    @Test
    void theRouterRefusesARegisteredSecretItCannotUse() throws Exception {
        Path config = state.resolve("router.json");
        CommandsTest.Run slack = CommandsTest.run("router", "--listen", "0", "--admin-port", "0", "--config-file",
                config.toString(), "--verify", "slack", "--verify-secret-file", secretsFile().toString());
        assertThat(slack.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(slack.err()).contains("--verify-secret-file: only with --verify telegram");
        CommandsTest.Run alone = CommandsTest.run("router", "--listen", "0", "--admin-port", "0", "--config-file",
                config.toString(), "--verify-secret-file", secretsFile().toString());
        assertThat(alone.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(alone.err()).contains("need --verify <platform>");

        Files.createDirectories(secretsFile().getParent());
        Files.writeString(secretsFile(), "{\"current\": \"abc\", \"since\": \"2026-12-02T21:00:00Z\"}");
        Files.setPosixFilePermissions(secretsFile(), PosixFilePermissions.fromString("rw-r--r--"));
        CommandsTest.Run open = CommandsTest.run("router", "--listen", "0", "--admin-port", "0", "--config-file",
                config.toString(), "--verify", "telegram", "--verify-secret-file", secretsFile().toString());
        assertThat(open.code()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(open.err()).contains(secretsFile().toString()).contains("chmod 600");
    }
}
