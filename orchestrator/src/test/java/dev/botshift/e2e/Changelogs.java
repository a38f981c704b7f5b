package dev.botshift.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The sample bot's changelogs, copied into a test directory, plus slow changesets ({@code pg_sleep}) that give a test
 * time to kill a deploy in the middle of an expand or a contract. Release {@code 2.0.k} carries the sample's v2
 * changesets and slow pairs 1..k, so a chain of releases each has new work to expand and contract.
 */
final class Changelogs {
    private final Path dir;

    private Changelogs(Path dir) {
        this.dir = dir;
    }

    static Changelogs copyInto(Path dir) {
        Path source = Cli.repo().resolve("examples/sentiment-bot/db");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path target = dir.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
            Files.createDirectories(dir.resolve("e2e"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the sample changelogs into " + dir, e);
        }
        return new Changelogs(dir);
    }

    /** The sample's release 1.x root changelog (the baseline). */
    Path v1() {
        return dir.resolve("changelog-v1.yaml");
    }

    /** The sample's release 2.x root changelog. */
    Path v2() {
        return dir.resolve("changelog-v2.yaml");
    }

    /**
     * v2's expand with a contract that breaks v2 itself: it drops {@code daily_sentiment_summary}, which v2's code
     * writes on every update. Only a rehearsal against what green really runs can tell; the linter cannot.
     */
    Path v2WithAContractGreenCannotSurvive() {
        write("e2e/bad-contract.sql", """
                --liquibase formatted sql

                --changeset e2e:bad-contract labels:contract
                --comment: wrong on purpose: release 2.x still writes this table
                DROP TABLE daily_sentiment_summary;
                """);
        write("changelog-v2-bad-contract.yaml", """
                databaseChangeLog:
                  - include:
                      file: v1/001-baseline.sql
                      relativeToChangelogFile: true
                  - include:
                      file: v2/001-sentiment-expand.sql
                      relativeToChangelogFile: true
                  - include:
                      file: e2e/bad-contract.sql
                      relativeToChangelogFile: true
                """);
        return dir.resolve("changelog-v2-bad-contract.yaml");
    }

    /**
     * v1 plus an expand that renames a column release 1.x writes on every update, its linter finding accepted by a
     * team that thought only the new release mattered. The linter is overridden; only a rehearsal against what blue
     * really runs can tell.
     */
    Path v2WithAnExpandBlueCannotSurvive() {
        write("e2e/bad-expand.sql", """
                --liquibase formatted sql

                --changeset e2e:bad-expand labels:expand
                --comment: botshift:accept expand-rename-column wrong on purpose: release 1.x still writes message_text
                ALTER TABLE user_interactions RENAME COLUMN message_text TO body;
                """);
        write("changelog-v2-bad-expand.yaml", """
                databaseChangeLog:
                  - include:
                      file: v1/001-baseline.sql
                      relativeToChangelogFile: true
                  - include:
                      file: e2e/bad-expand.sql
                      relativeToChangelogFile: true
                """);
        return dir.resolve("changelog-v2-bad-expand.yaml");
    }

    /**
     * v2 plus {@code slowPairs} expand/contract pairs; pair {@code slowPairs} sleeps {@code seconds} (0: instant).
     * The pairs before it keep the files they were first written with: Liquibase refuses an applied changeset
     * whose file changed (its checksum).
     */
    Path v2WithSlow(int slowPairs, int seconds) {
        List<String> includes = new ArrayList<>(List.of("v1/001-baseline.sql", "v2/001-sentiment-expand.sql",
                "v2/002-sentiment-contract.sql"));
        for (int k = 1; k <= slowPairs; k++) {
            String expand = "e2e/slow-" + k + "-expand.sql";
            String contract = "e2e/slow-" + k + "-contract.sql";
            if (k == slowPairs || !Files.exists(dir.resolve(expand))) {
                write(expand, """
                        --liquibase formatted sql

                        --changeset e2e:slow-%1$d-expand labels:expand
                        --comment: slow on purpose, so a test can kill the deploy in the middle of the expand
                        SELECT pg_sleep(%2$d);
                        CREATE TABLE e2e_slow_%1$d (id BIGINT PRIMARY KEY);
                        """.formatted(k, seconds));
                write(contract, """
                        --liquibase formatted sql

                        --changeset e2e:slow-%1$d-contract labels:contract
                        --comment: slow on purpose, so a test can kill the deploy in the middle of the contract
                        SELECT pg_sleep(%2$d);
                        DROP TABLE e2e_slow_%1$d;
                        """.formatted(k, seconds));
            }
            includes.add(expand);
            includes.add(contract);
        }
        StringBuilder root = new StringBuilder("databaseChangeLog:\n");
        for (String file : includes) {
            root.append("  - include:\n      file: ").append(file).append("\n      relativeToChangelogFile: true\n");
        }
        String name = "changelog-v2-slow-" + slowPairs + ".yaml";
        write(name, root.toString());
        return dir.resolve(name);
    }

    /** Changeset ids the given number of slow pairs adds to v2's. */
    static List<String> expectedIds(int slowPairs) {
        List<String> ids = new ArrayList<>(List.of("v2-001-sentiment-columns", "v2-002-daily-summary", "v2-003-backfill",
                "v2-004-not-null"));
        for (int k = 1; k <= slowPairs; k++) {
            ids.add("slow-" + k + "-expand");
            ids.add("slow-" + k + "-contract");
        }
        return ids;
    }

    private void write(String relative, String content) {
        try {
            Files.writeString(dir.resolve(relative), content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + relative, e);
        }
    }
}
