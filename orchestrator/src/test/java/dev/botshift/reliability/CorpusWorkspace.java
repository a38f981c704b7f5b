package dev.botshift.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files the bad-input corpus works on: a valid base plan (local platform, the embedded PostgreSQL, a canary
 * password written literally so the corpus can check it is never echoed) and the changelogs a case points at.
 */
final class CorpusWorkspace {
    static final String DATABASE = "corpus";
    static final String PASSWORD = "S3cret-canary-corpus-4417";
    static final Path REPO = Path.of(System.getProperty("botshift.repo", "..")).toAbsolutePath().normalize();
    static final Path CHANGELOG = REPO.resolve("examples/sentiment-bot/db/changelog-v2.yaml");

    final Path dir;
    final String dbUrl;

    CorpusWorkspace(Path dir) {
        this.dir = dir;
        this.dbUrl = SharedPostgres.database(DATABASE);
        write("bot.jar", "not really a jar: the preflight only checks that the file exists");
        copyResource("unlabelled.sql");
        copyResource("drop-in-expand.sql");
        copyResource("not-null-in-expand.sql");
        copyResource("garbage-root.yaml");
        copyResource("missing-include.yaml");
        copyResource("contract-in-expand.sql");
        copyResource("include-cycle.yaml");
        copyResource("include-cycle-b.yaml");
        copyResource("alias-bomb.yaml");
        copyResource("old-xsd-labels.xml");
        copyResource("bad-phases.yaml");
        copyResource("env-parameter.yaml");
    }

    /** The base plan, valid as it stands; cases break one thing in it. */
    String basePlan() {
        return """
                name: corpus-bot
                release: 2.0.0
                database:
                  url: %s
                  username: postgres
                  password: %s
                  changelog: %s
                  lockTimeout: 500ms
                workload:
                  platform: local
                  replicas: 1
                  command: [java, -jar, bot.jar]
                  healthPath: /healthz
                  progressDeadline: 30s
                  drainTimeout: 5s
                traffic:
                  router: botshift
                  stickyBy: $.message.chat.id
                  steps: [10, 50, 100]
                  stepDuration: 1s
                  listenPort: 0
                analysis:
                  provider: combined
                  interval: 1s
                  maxErrorRate: 5%%
                  maxIncreaseOverBaseline: 2%%
                  minRequests: 5
                  failureLimit: 2
                bake: 1s
                approval: none
                notify:
                  webhookUrlEnv: BOTSHIFT_TEST_WEBHOOK
                """.formatted(dbUrl, PASSWORD, CHANGELOG);
    }

    Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path writeBytes(String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A named pipe (reading it would block until someone writes). */
    Path fifo(String name) {
        Path fifo = dir.resolve(name);
        try {
            if (!Files.exists(fifo)) {
                Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("mkfifo failed");
                }
            }
            return fifo;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A folder every user may write to, without the sticky bit (mode 0777). */
    Path openFolder(String name) {
        try {
            Path folder = Files.createDirectories(dir.resolve(name));
            Files.setAttribute(folder, "unix:mode", 0777);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void copyResource(String name) {
        try (var in = CorpusWorkspace.class.getResourceAsStream("/reliability/" + name)) {
            Files.write(dir.resolve(name), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
