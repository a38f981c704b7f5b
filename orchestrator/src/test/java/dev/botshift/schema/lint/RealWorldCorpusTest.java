package dev.botshift.schema.lint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.botshift.core.InvalidInputException;
import dev.botshift.schema.ChangelogSource;
import dev.botshift.schema.LintReport;
import dev.botshift.schema.LintReport.Finding;
import dev.botshift.schema.lightlock.EngineRunForms;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import liquibase.changelog.ChangeSet;
import org.junit.jupiter.api.Test;

/**
 * The linter on changelogs shaped like real projects' (changelogs/realworld, see its README): every changeset's
 * comment says how a reviewer judges it, and the linter, run as Botshift runs changesets, must refuse at least 98 %
 * of the unsafe ones, at most 5 % of the safe ones, and read every file Liquibase reads (issue 18's goals).
 */
class RealWorldCorpusTest {
    static final Path CORPUS = resource();

    record Tally(List<String> unsafeRefused, List<String> unsafeMissed, List<String> safePassed,
                 List<String> safeRefused, List<String> skipped, List<String> unreadable) {
        Tally() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                    new ArrayList<>());
        }
    }

    @Test
    void refusesTheUnsafeChangesetsAndPassesTheSafeOnes() throws Exception {
        Tally t = new Tally();
        for (JsonNode entry : new ObjectMapper(new YAMLFactory()).readTree(CORPUS.resolve("corpus.yaml").toFile())) {
            Set<String> appliedIds = new java.util.HashSet<>();
            entry.path("applied").forEach(id -> appliedIds.add(id.asText()));
            tally(source(entry), appliedIds, t);
        }
        int unsafe = t.unsafeRefused().size() + t.unsafeMissed().size();
        int safe = t.safePassed().size() + t.safeRefused().size();
        double unsafeRefused = 100.0 * t.unsafeRefused().size() / unsafe;
        double safeRefused = 100.0 * t.safeRefused().size() / safe;
        System.out.printf("realworld corpus: %d unsafe, %d refused (%.1f %%); %d safe, %d refused (%.1f %%);"
                        + " %d skipped (not for PostgreSQL); %d unreadable%n", unsafe, t.unsafeRefused().size(),
                unsafeRefused, safe, t.safeRefused().size(), safeRefused, t.skipped().size(), t.unreadable().size());
        System.out.println("  unsafe passed: " + t.unsafeMissed() + "\n  safe refused: " + t.safeRefused());
        assertThat(t.unreadable()).as("files that could not be read").isEmpty();
        assertThat(unsafe).as("unsafe changesets in the corpus").isGreaterThanOrEqualTo(40);
        assertThat(safe).as("safe changesets in the corpus").isGreaterThanOrEqualTo(60);
        assertThat(unsafeRefused).as("unsafe refused, %%; missed: %s", t.unsafeMissed()).isGreaterThanOrEqualTo(98.0);
        assertThat(safeRefused).as("safe refused, %%; refused: %s", t.safeRefused()).isLessThanOrEqualTo(5.0);
        assertThat(t.skipped()).as("changesets not for PostgreSQL").hasSizeGreaterThanOrEqualTo(5);
    }

    /** @param appliedIds changesets the database already ran (an earlier release): not judged, their tables live */
    private static void tally(ChangelogSource source, Set<String> appliedIds, Tally t) {
        LintReport report;
        List<ChangeSet> changeSets;
        try {
            changeSets = ChangelogReader.forLint(source).changelog().getChangeSets();
            Set<String> applied = changeSets.stream().filter(cs -> appliedIds.contains(cs.getId()))
                    .map(cs -> ChangelogLinter.key(cs.getId(), cs.getAuthor(), cs.getFilePath()))
                    .collect(Collectors.toSet());
            report = new ChangelogLinter(new EngineRunForms()).lint(source, applied);
            changeSets = changeSets.stream().filter(cs -> !appliedIds.contains(cs.getId())).toList();
        } catch (InvalidInputException e) {
            t.unreadable().add(source.root() + ": " + e.getMessage());
            return;
        }
        Set<String> skipped = report.skipped().stream().map(s -> s.file() + "::" + s.changeSetId())
                .collect(Collectors.toSet());
        t.skipped().addAll(skipped);
        Map<String, List<Finding>> refusing = new LinkedHashMap<>();
        report.findings().stream().filter(f -> f.severity() == Finding.Severity.ERROR && !f.accepted())
                .forEach(f -> refusing.computeIfAbsent(f.file() + "::" + f.changeSetId(), k -> new ArrayList<>()).add(f));
        for (ChangeSet cs : changeSets) {
            String key = cs.getFilePath() + "::" + cs.getId();
            String expected = expectation(cs);
            boolean refused = refusing.containsKey(key);
            switch (expected) {
                case "unsafe" -> (refused ? t.unsafeRefused() : t.unsafeMissed()).add(key);
                case "safe" -> (refused ? t.safeRefused() : t.safePassed())
                        .add(refused ? key + " " + refusing.get(key).stream().map(Finding::rule).toList() : key);
                case "skipped" -> assertThat(skipped).as("skipped").contains(key);
                default -> throw new AssertionError(key + ": its comment says no 'expect: safe|unsafe|skipped'");
            }
            if (!expected.equals("skipped")) {
                assertThat(skipped).as("%s is linted", key).doesNotContain(key);
            }
        }
    }

    private static String expectation(ChangeSet cs) {
        String comment = cs.getComments() == null ? "" : cs.getComments();
        int at = comment.indexOf("expect: ");
        return at < 0 ? "" : comment.substring(at + 8).split("[\\s(]")[0];
    }

    private static ChangelogSource source(JsonNode entry) {
        List<Path> searchPath = new ArrayList<>();
        entry.path("searchPath").forEach(p -> searchPath.add(CORPUS.resolve(p.asText())));
        Map<String, String> parameters = new LinkedHashMap<>();
        entry.path("parameters").fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
        Path phases = entry.has("phases") ? CORPUS.resolve(entry.get("phases").asText()) : null;
        return new ChangelogSource(CORPUS.resolve(entry.get("root").asText()), searchPath, List.of(), parameters, phases);
    }

    private static Path resource() {
        try {
            return Path.of(RealWorldCorpusTest.class.getResource("/changelogs/realworld/corpus.yaml").toURI()).getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
