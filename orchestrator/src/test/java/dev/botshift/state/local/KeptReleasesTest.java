package dev.botshift.state.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.core.InvalidInputException;
import dev.botshift.core.LocalFileException;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanLoader;
import dev.botshift.schema.ChangelogSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release's files kept at its deploy ({@link KeptReleases}): what the supervisor reads hours later is what was
 * deployed, even when the checkout moved on (one plan file edited for each deploy, a CI workspace reused).
 */
class KeptReleasesTest {
    private static final Map<String, String> ENV = Map.of("DB_PASSWORD", "pw");
    private static final String APP = "sentiment-bot";

    @TempDir
    Path checkout;
    @TempDir
    Path stateDir;
    private Path planFile;

    @BeforeEach
    void writeRelease() throws IOException {
        planFile = writePlan("2.0.0");
        writeChangelog("-- the contract of 2.0.0");
    }

    @Test
    void aReleaseIsReadAsDeployedWhateverItsFilesHoldLater() throws IOException {
        KeptReleases.keep(stateDir, load(), Set.of());
        writePlan("2.1.0"); // the next release, prepared in the same file
        writeChangelog("-- the contract of 2.1.0");

        Plan kept = KeptReleases.load(stateDir, APP, "2.0.0", planFile.toString(), ENV);
        assertThat(kept.release()).isEqualTo("2.0.0");
        assertThat(Files.readString(ChangelogSource.of(kept).root().getParent().resolve("contract.sql")))
                .isEqualTo("-- the contract of 2.0.0");
        assertThat(kept.source()).startsWith(stateDir);
        assertThat(kept.home()).as("the bots still run where the plan was").isEqualTo(checkout.toAbsolutePath());
        assertThat(kept.resolveInHome("bot.jar")).isEqualTo(checkout.toAbsolutePath().resolve("bot.jar"));
        assertThat(kept.deployedPrograms()).as("the bot's own files its command names, fingerprinted, not copied")
                .containsOnlyKeys(checkout.toAbsolutePath().resolve("bot.jar"));
    }

    @Test
    void aChangelogNamedByItsAbsolutePathIsReadFromTheCopyToo() throws IOException {
        Path changelog = checkout.resolve("db").resolve("changelog.yaml").toAbsolutePath();
        writePlan("2.0.0", changelog.toString());
        KeptReleases.keep(stateDir, load(), Set.of());
        writeChangelog("-- the contract of 2.1.0");

        Path kept = ChangelogSource.of(KeptReleases.load(stateDir, APP, "2.0.0", planFile.toString(), ENV)).root();
        assertThat(kept).startsWith(stateDir).isNotEqualTo(changelog);
        assertThat(Files.readString(kept.getParent().resolve("contract.sql"))).isEqualTo("-- the contract of 2.0.0");
    }

    @Test
    void withoutACopyThePlanFileAsItIsNow() throws IOException {
        // a rollout deployed before Botshift kept copies
        writePlan("2.1.0");
        assertThat(KeptReleases.has(stateDir, APP, "2.0.0")).isFalse();
        assertThat(KeptReleases.load(stateDir, APP, "2.0.0", planFile.toString(), ENV).release()).isEqualTo("2.1.0");
    }

    @Test
    void keepingAReleaseReplacesItsCopyAndRemovesTheCopiesNoLongerInUse() throws IOException {
        writePlan("1.0.0");
        KeptReleases.keep(stateDir, load(), Set.of());
        writePlan("2.0.0");
        KeptReleases.keep(stateDir, load(), Set.of("1.0.0")); // 1.0.0 is blue
        writePlan("3.0.0");
        KeptReleases.keep(stateDir, load(), Set.of("2.0.0"));
        assertThat(kept()).containsExactlyInAnyOrder("2.0.0", "3.0.0");

        writeChangelog("-- 3.0.0 deployed again, its changelog mended");
        KeptReleases.keep(stateDir, load(), Set.of("2.0.0"));
        Plan again = KeptReleases.load(stateDir, APP, "3.0.0", planFile.toString(), ENV);
        assertThat(Files.readString(ChangelogSource.of(again).root().getParent().resolve("contract.sql")))
                .isEqualTo("-- 3.0.0 deployed again, its changelog mended");
        assertThat(kept()).containsExactlyInAnyOrder("2.0.0", "3.0.0");

        KeptReleases.forget(stateDir, APP); // botshift down
        assertThat(KeptReleases.has(stateDir, APP, "3.0.0")).isFalse();
        assertThat(stateDir.resolve(APP).resolve(KeptReleases.FOLDER)).doesNotExist();
    }

    @Test
    void hiddenFoldersAndAStateFolderInsideTheChangelogsFolderAreNotKept() throws IOException {
        Path db = checkout.resolve("db");
        Files.createDirectories(db.resolve(".git"));
        Files.writeString(db.resolve(".git").resolve("HEAD"), "ref: refs/heads/main\n");
        Path innerState = Files.createDirectories(db.resolve("state"));
        Files.writeString(innerState.resolve("admin-token"), "secret");
        KeptReleases.keep(innerState, load(), Set.of());

        Path files = innerState.resolve(APP).resolve(KeptReleases.FOLDER).resolve("2.0.0").resolve("files");
        try (Stream<Path> all = Files.walk(files)) {
            assertThat(all.filter(Files::isRegularFile).map(p -> files.relativize(p).toString()))
                    .containsExactlyInAnyOrder("plan.yaml", "db/changelog.yaml", "db/contract.sql");
        }
    }

    @Test
    void aChangelogFolderTooLargeToBeOneIsRefusedAndNothingIsKept() throws IOException {
        KeptReleases.keep(stateDir, load(), Set.of());
        writePlan("2.1.0");
        Path db = checkout.resolve("db");
        for (int i = 0; i < KeptReleases.MAX_FILES; i++) {
            Files.writeString(db.resolve("note-" + i + ".txt"), "x");
        }
        Plan big = load();
        assertThatThrownBy(() -> KeptReleases.keep(stateDir, big, Set.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("database.changelog: its folder (" + db.toAbsolutePath())
                .hasMessageContaining("come to " + (KeptReleases.MAX_FILES + 3) + " files, ")
                .hasMessageContaining("give the changelog a folder of its own");
        assertThat(kept()).containsExactly("2.0.0");

        try (Stream<Path> notes = Files.list(db)) {
            for (Path note : notes.filter(p -> p.getFileName().toString().startsWith("note-")).toList()) {
                Files.delete(note);
            }
        }
        try (java.io.RandomAccessFile dump = new java.io.RandomAccessFile(db.resolve("dump.sql").toFile(), "rw")) {
            dump.setLength(KeptReleases.MAX_BYTES + 1); // sparse: the size is what counts
        }
        assertThatThrownBy(() -> KeptReleases.keep(stateDir, big, Set.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("come to 4 files, 32 MiB");
        assertThat(kept()).containsExactly("2.0.0");
    }

    @Test
    void aCopyBotshiftDidNotWriteOrAReleaseNamingNoFolderIsRefused() throws IOException {
        KeptReleases.keep(stateDir, load(), Set.of());
        Path record = stateDir.resolve(APP).resolve(KeptReleases.FOLDER).resolve("2.0.0").resolve("kept.json");
        Files.writeString(record, "{\"plan\": \"../../../../etc/passwd\", \"home\": \"/\"}");
        assertThatThrownBy(() -> KeptReleases.load(stateDir, APP, "2.0.0", planFile.toString(), ENV))
                .isInstanceOf(LocalFileException.class)
                .hasMessageContaining(record + " is not what Botshift writes");
        Files.writeString(record, "{not json");
        assertThatThrownBy(() -> KeptReleases.load(stateDir, APP, "2.0.0", planFile.toString(), ENV))
                .isInstanceOf(LocalFileException.class)
                .hasMessageContaining(record + " is not what Botshift writes");
        // a link (here to a device that never ends) is not followed: refused, not read
        Files.delete(record);
        Files.createSymbolicLink(record, Path.of("/dev/zero"));
        assertThatThrownBy(() -> KeptReleases.load(stateDir, APP, "2.0.0", planFile.toString(), ENV))
                .isInstanceOf(LocalFileException.class)
                .hasMessageContaining(record + " is not what Botshift writes");
        assertThatThrownBy(() -> KeptReleases.load(stateDir, APP, "../2.0.0", planFile.toString(), ENV))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("release '../2.0.0' cannot name a folder");
    }

    private Plan load() {
        return PlanLoader.load(planFile, ENV);
    }

    private Set<String> kept() throws IOException {
        try (Stream<Path> all = Files.list(stateDir.resolve(APP).resolve(KeptReleases.FOLDER))) {
            return Set.copyOf(all.map(p -> p.getFileName().toString()).toList());
        }
    }

    private Path writePlan(String release) throws IOException {
        return writePlan(release, "db/changelog.yaml");
    }

    private Path writePlan(String release, String changelog) throws IOException {
        Files.writeString(checkout.resolve("bot.jar"), "not a jar");
        return Files.writeString(checkout.resolve("plan.yaml"), """
                name: %s
                release: %s
                database:
                  url: jdbc:postgresql://localhost/bot
                  username: bot
                  password: ${env:DB_PASSWORD}
                  changelog: %s
                workload:
                  platform: local
                  command: [java, -jar, bot.jar]
                traffic:
                  steps: [10, 100]
                  stepDuration: 10s
                analysis:
                  maxErrorRate: 5%%
                  minRequests: 20
                bake: 10s
                approval: none
                """.formatted(APP, release, changelog));
    }

    private void writeChangelog(String contract) throws IOException {
        Path db = Files.createDirectories(checkout.resolve("db"));
        Files.writeString(db.resolve("changelog.yaml"), """
                databaseChangeLog:
                  - include: {file: contract.sql, relativeToChangelogFile: true}
                """);
        Files.writeString(db.resolve("contract.sql"), contract);
    }
}
