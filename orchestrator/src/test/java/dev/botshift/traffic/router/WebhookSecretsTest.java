package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.botshift.core.LocalFileException;
import dev.botshift.core.WebhookPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registered webhook secrets: their shape, their file (owner-only, never echoed), a rotation's three states. */
class WebhookSecretsTest {
    static final Instant T0 = Instant.parse("2026-12-02T21:00:00Z");

    @TempDir
    Path dir;

    @Test
    void generatedSecretsFitTelegramsRuleAndNeverRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String secret = WebhookSecrets.generate();
            assertThat(WebhookPlatform.TELEGRAM.acceptsSecret(secret)).as(secret).isTrue();
            assertThat(secret).hasSize(64);
            seen.add(secret);
        }
        assertThat(seen).hasSize(200);
    }

    @Test
    void aRotationAcceptsBothSecretsThenTheOldOneOnlyForItsGrace() {
        WebhookSecrets first = WebhookSecrets.first("old-secret", T0);
        assertThat(first.accepted(T0)).containsExactly("old-secret");
        WebhookSecrets during = first.withNext("new-secret");
        assertThat(during.accepted(T0)).containsExactly("old-secret", "new-secret");
        WebhookSecrets after = during.rotated(T0.plusSeconds(10), Duration.ofMinutes(5));
        assertThat(after.current()).isEqualTo("new-secret");
        assertThat(after.since()).isEqualTo(T0.plusSeconds(10));
        assertThat(after.accepted(T0.plusSeconds(309))).containsExactly("new-secret", "old-secret");
        assertThat(after.accepted(T0.plusSeconds(310))).containsExactly("new-secret");
        // the next rotation forgets the one before: at most three secrets, ever
        assertThat(after.withNext("third").rotated(T0.plusSeconds(20), Duration.ofMinutes(5)).accepted(T0.plusSeconds(20)))
                .containsExactly("third", "new-secret");
        assertThat(after.toString()).doesNotContain("secret-").doesNotContain("new").contains("previous until");
    }

    @Test
    void theFileIsTheOwnersOnlyAndReadsBackAsWritten() throws Exception {
        Path file = dir.resolve(WebhookSecrets.FILE_NAME);
        assertThat(WebhookSecrets.read(file)).isEmpty();
        WebhookSecrets written = WebhookSecrets.first("s1", T0).withNext("s2").rotated(T0, Duration.ofMinutes(1))
                .withNext("s3");
        written.writeTo(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(WebhookSecrets.read(file)).contains(written);
    }

    @Test
    void aFileOthersCouldReadALinkOrJunkIsRefusedNamingTheFileNeverItsContent() throws Exception {
        Path file = dir.resolve(WebhookSecrets.FILE_NAME);
        WebhookSecrets.first("hidden-Secret_1", T0).writeTo(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(refusal(file)).contains(file.toString()).contains("chmod 600");

        Path link = dir.resolve("link.json");
        Files.createSymbolicLink(link, file);
        assertThat(refusal(link)).contains("not a regular file");

        for (String junk : List.of("hidden-Secret_1", "{\"current\": \"hidden Secret!\", \"since\": \"2026-12-02T21:00:00Z\"}",
                "{\"current\": \"hidden-Secret_1\"}", "{\"current\": \"hidden-Secret_1\", \"since\": \"yesterday\"}",
                "{\"current\": \"hidden-Secret_1\", \"since\": \"2026-12-02T21:00:00Z\", \"previous\": \"p\"}")) {
            Files.delete(file);
            Files.writeString(file, junk);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            assertThat(refusal(file)).as(junk).contains(file.toString()).contains("botshift webhook set")
                    .doesNotContain("hidden");
        }
    }

    @Test
    void theRoutersViewFollowsTheFileAndKeepsWhatItHadWhenTheFileBreaks() throws Exception {
        Path file = dir.resolve(WebhookSecrets.FILE_NAME);
        dev.botshift.testing.MutableClock clock = new dev.botshift.testing.MutableClock(T0);
        WebhookSecretsFile view = WebhookSecretsFile.open(file, clock);
        assertThat(view.registered()).isFalse();
        assertThat(view.accepts("s1")).isFalse();
        WebhookSecrets.first("s1", T0).writeTo(file);
        assertThat(view.accepts("s1")).as("an unknown secret makes it look again at once").isTrue();
        assertThat(view.registered()).isTrue();
        WebhookSecrets.first("s1", T0).withNext("s2").rotated(T0, Duration.ofMinutes(1)).writeTo(file);
        assertThat(view.accepts("s2")).isTrue();
        assertThat(view.accepts("s1")).as("in its grace").isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(view.accepts("s1")).as("retired by the clock, the file unchanged").isFalse();

        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(warnings, true));
        try {
            Files.delete(file);
            Files.writeString(file, "{\"current\": \"not a secret!\"}");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            for (int i = 0; i < 3; i++) {
                assertThat(view.accepts("s2")).as("a broken file neither locks Telegram out").isTrue();
                assertThat(view.accepts("forged")).as("nor lets a forgery in").isFalse();
            }
        } finally {
            System.setErr(err);
        }
        assertThat(warnings.toString()).contains(file.toString()).contains("still accepting the secrets read before")
                .doesNotContain("not a secret");
        assertThat(warnings.toString().lines().count()).as("once per broken version").isEqualTo(1);
    }

    private static String refusal(Path file) {
        LocalFileException e = catchThrowableOfType(LocalFileException.class, () -> WebhookSecrets.read(file));
        assertThat(e).isNotNull();
        return e.getMessage();
    }
}
