package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import dev.botshift.core.WebhookPlatform;
import dev.botshift.core.Weights;
import dev.botshift.os.ChildEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router as Botshift starts it: a fresh admin token in a 0600 file, only the webhook secret in its environment,
 * neither in its arguments; restarted when the verification asked for changes or when it refuses the recorded token.
 */
class RouterProcessGuardsIT {
    static final String SECRET = "tg-canary_S3cret-991";
    static final Map<String, String> PARENT = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin"),
            "DB_URL", "jdbc:postgresql://db/x", "DB_USER", "bot", "DB_PASSWORD", "S3cret-canary-db-pw",
            "TG_SECRET", SECRET);

    @TempDir
    Path dir;
    RouterProcess router;

    @AfterEach
    void stop() {
        if (router != null) {
            router.stop();
        }
    }

    RouterProcess.Options options(RouterProcess.Verification verification) {
        ChildEnvironment env = ChildEnvironment.minimal(PARENT);
        if (verification != null && verification.secretEnv() != null) {
            env = env.with(verification.secretEnv(), PARENT.get(verification.secretEnv()));
        }
        return new RouterProcess.Options(0, 0, dir.resolve("config.json"), RouterProcess.Options.STANDALONE,
                Duration.ofSeconds(30), env, verification);
    }

    @Test
    void theRouterGetsTheSecretButNotTheDatabaseAndNoCredentialInItsArguments() throws Exception {
        router = RouterProcess.attachOrStart(dir, options(
                new RouterProcess.Verification(WebhookPlatform.TELEGRAM, "TG_SECRET", null)));

        Path proc = Path.of("/proc", Long.toString(router.pid()));
        List<String> environ = List.of(Files.readString(proc.resolve("environ"), StandardCharsets.ISO_8859_1).split("\0"));
        assertThat(environ).contains("TG_SECRET=" + SECRET).noneMatch(v -> v.startsWith("DB_"));
        String token = Files.readString(dir.resolve(AdminToken.FILE_NAME));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(AdminToken.FILE_NAME))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(proc.resolve("cmdline"), StandardCharsets.ISO_8859_1))
                .contains("--admin-token-file").doesNotContain(token).doesNotContain(SECRET);
        assertThat(Files.readString(dir.resolve(RouterProcess.LOG_FILE)))
                .contains("webhook verification: telegram").doesNotContain(token).doesNotContain(SECRET);
        assertThat(Files.readString(dir.resolve(RouterProcess.STATE_FILE))).doesNotContain(SECRET).doesNotContain(token);

        try (FakeBackend blue = new FakeBackend("blue")) {
            router.client().setBackends(Slot.A, List.of(blue.uri()));
            router.client().setWeights(Weights.allTo(Slot.A));
            assertThat(post(null)).isEqualTo(401);
            assertThat(post("wrong")).isEqualTo(403);
            assertThat(post(SECRET)).isEqualTo(200);
            assertThat(blue.requests()).isEqualTo(1);
        }
    }

    @Test
    void aChangedVerificationOrALostTokenRestartsTheRouter() throws Exception {
        router = RouterProcess.attachOrStart(dir, options(null));
        long first = router.pid();
        assertThat(RouterProcess.attachOrStart(dir, options(null)).pid()).as("same settings: re-attached").isEqualTo(first);

        RouterProcess verifying = RouterProcess.attachOrStart(dir, options(
                new RouterProcess.Verification(WebhookPlatform.TELEGRAM, "TG_SECRET", null)));
        assertThat(verifying.pid()).as("verification added: restarted").isNotEqualTo(first);
        assertThat(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        router = verifying;

        AdminToken.generate().writeTo(dir.resolve(AdminToken.FILE_NAME)); // not the one the router holds
        RouterProcess replaced = RouterProcess.attachOrStart(dir, options(
                new RouterProcess.Verification(WebhookPlatform.TELEGRAM, "TG_SECRET", null)));
        assertThat(replaced.pid()).as("a router refusing our token is replaced").isNotEqualTo(verifying.pid());
        router = replaced;
        assertThat(replaced.client().config().weights()).isEqualTo(Weights.allTo(Slot.A));
    }

    @Test
    void withRegisteredSecretsTheRouterReadsTheirFileAndAcceptsOneWrittenAfterItStarted() throws Exception {
        Path secrets = dir.resolve(WebhookSecrets.FILE_NAME);
        router = RouterProcess.attachOrStart(dir, options(RouterProcess.Verification.registered(secrets)));
        Path proc = Path.of("/proc", Long.toString(router.pid()));
        assertThat(Files.readString(proc.resolve("environ"), StandardCharsets.ISO_8859_1)).doesNotContain(SECRET)
                .doesNotContain("TG_SECRET");
        assertThat(Files.readString(dir.resolve(RouterProcess.LOG_FILE)))
                .contains("webhook verification: telegram, with the secrets registered by 'botshift webhook' (none yet");
        try (FakeBackend blue = new FakeBackend("blue")) {
            router.client().setBackends(Slot.A, List.of(blue.uri()));
            router.client().setWeights(Weights.allTo(Slot.A));
            assertThat(post(SECRET)).as("nothing registered yet").isEqualTo(403);
            WebhookSecrets.first(SECRET, java.time.Instant.now()).writeTo(secrets); // what 'webhook set' does first
            assertThat(post(SECRET)).as("at once, no restart").isEqualTo(200);
            assertThat(post(null)).isEqualTo(401);
            assertThat(blue.requests()).isEqualTo(1);
        }
        assertThat(Files.readString(proc.resolve("cmdline"), StandardCharsets.ISO_8859_1))
                .contains("--verify-secret-file").doesNotContain(SECRET);
        assertThat(Files.readString(dir.resolve(RouterProcess.STATE_FILE))).contains("telegram file " + secrets)
                .doesNotContain(SECRET);
    }

    private int post(String secret) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(router.listenUri() + "/hook"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":{\"chat\":{\"id\":1}}}"));
        if (secret != null) {
            request.header(WebhookVerifier.TELEGRAM_HEADER, secret);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
