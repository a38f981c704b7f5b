package dev.botshift.schema.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.schema.ChangelogSource;
import dev.botshift.schema.LintReport;
import dev.botshift.schema.LintReport.Finding;
import dev.botshift.schema.lightlock.ChangeSetPlanner;
import dev.botshift.schema.lightlock.EngineRunForms;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import liquibase.changelog.ChangeSet;
import liquibase.database.core.PostgresDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps docs/linter.md's parity table true: every row's expand and contract verdicts hold for its examples in
 * changelogs/parity/cases.sql, every example has a row, and every rule of squawk and check of strong_migrations that
 * applies to PostgreSQL has a row.
 */
class ParityTableTest {
    static final Path DOC = Path.of(System.getProperty("botshift.repo", "..")).resolve("docs/linter.md");

    /** squawk 2.x's rules (docs/docs and the rollback-compatibility rules of 2.68), but its meta rules. */
    static final List<String> SQUAWK = List.of("adding-field-with-default", "adding-foreign-key-constraint",
            "adding-not-nullable-field", "adding-primary-key-constraint", "adding-required-field",
            "adding-serial-primary-key-field", "ban-alter-domain-with-add-constraint", "ban-char-field",
            "ban-concurrent-index-creation-in-transaction", "ban-create-domain-with-constraint", "ban-drop-column",
            "ban-drop-database", "ban-drop-not-null", "ban-drop-table", "ban-duplicate-column-assignments",
            "ban-truncate-cascade", "ban-uncommitted-transaction", "changing-column-type",
            "constraint-missing-not-valid", "disallowed-unique-constraint", "identifier-too-long",
            "prefer-bigint-over-int", "prefer-bigint-over-smallint", "prefer-identity", "prefer-repack",
            "prefer-robust-stmts", "prefer-text-field", "prefer-timestamptz", "renaming-column", "renaming-table",
            "require-concurrent-index-creation", "require-concurrent-index-deletion",
            "require-concurrent-partition-detach", "require-concurrent-reindex", "require-enum-value-ordering",
            "require-table-schema", "require-timeout-settings", "require-lock-timeout", "require-statement-timeout",
            "transaction-nesting", "ban-drop-schema", "ban-drop-sequence", "ban-drop-domain", "ban-drop-constraint",
            "ban-drop-generated-expression", "ban-drop-extension", "ban-alter-identity", "renaming-object",
            "ban-set-schema");

    /** strong_migrations' checks that apply to PostgreSQL (its README, "Checks"). */
    static final List<String> STRONG_MIGRATIONS = List.of("removing a column", "changing the type of a column",
            "renaming a column", "renaming a table", "creating a table with the force option",
            "adding an auto-incrementing column", "adding a stored generated column", "adding a foreign key",
            "adding a check constraint", "executing SQL directly", "backfilling data",
            "adding an index non-concurrently", "adding a reference", "adding a unique constraint",
            "adding an exclusion constraint", "adding a json column",
            "adding a column with a volatile default value", "setting NOT NULL on an existing column",
            "renaming an enum value", "renaming a schema", "keeping non-unique indexes to three columns or less");

    private static final Pattern RULE_ID = Pattern.compile("`([a-z-]+)`");

    /** One row of the table. */
    record Row(String name, Set<String> squawk, Set<String> strongMigrations, String expand, String contract) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static LintReport asRun;
    private static Map<String, ChangeSet> changeSets;

    @BeforeAll
    static void lintTheExamples() throws URISyntaxException {
        Path root = Path.of(ParityTableTest.class.getResource("/changelogs/parity/root.yaml").toURI());
        asRun = new ChangelogLinter(new EngineRunForms()).lint(root);
        changeSets = ChangelogReader.forLint(ChangelogSource.of(root)).changelog().getChangeSets().stream()
                .collect(Collectors.toMap(ChangeSet::getId, Function.identity()));
    }

    static List<Row> rows() throws IOException {
        String doc = Files.readString(DOC);
        String section = doc.substring(doc.indexOf("## Parity with squawk and strong_migrations"));
        List<Row> rows = new ArrayList<>();
        for (String line : section.lines().toList()) {
            if (line.startsWith("| `")) {
                String[] cells = Arrays.stream(line.split("\\|")).map(String::strip).toArray(String[]::new);
                rows.add(new Row(cells[1].replace("`", ""), names(cells[2]), names(cells[3]), cells[4], cells[5]));
            }
        }
        return rows;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachRowsVerdictsHoldForItsExamples(Row row) {
        verdictHolds(row.name() + "-expand", row.expand());
        verdictHolds(row.name() + "-contract", row.contract());
    }

    @Test
    void everyExampleHasARowAndEveryRowItsExamples() throws IOException {
        Set<String> fromRows = new HashSet<>();
        rows().forEach(r -> fromRows.addAll(List.of(r.name() + "-expand", r.name() + "-contract")));
        Set<String> examples = changeSets.keySet().stream()
                .filter(id -> id.endsWith("-expand") || id.endsWith("-contract")).collect(Collectors.toSet());
        assertThat(examples).containsExactlyInAnyOrderElementsOf(fromRows);
    }

    @Test
    void everySquawkRuleAndStrongMigrationsCheckIsDecided() throws IOException {
        Set<String> squawk = new HashSet<>();
        Set<String> strong = new HashSet<>();
        rows().forEach(r -> {
            squawk.addAll(r.squawk());
            strong.addAll(r.strongMigrations());
        });
        assertThat(squawk).containsAll(SQUAWK);
        assertThat(strong).containsAll(STRONG_MIGRATIONS);
    }

    @Test
    void theRulesTableListsExactlyTheRules() throws IOException {
        String doc = Files.readString(DOC);
        String rules = doc.substring(doc.indexOf("\n## Rules"), doc.indexOf("\n## Parity"));
        Set<String> documented = rules.lines().filter(l -> l.startsWith("| `"))
                .map(l -> l.substring(3, l.indexOf('`', 3))).collect(Collectors.toSet());
        assertThat(documented).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(Rule.values()).map(Rule::id).toList());
    }

    private static void verdictHolds(String id, String cell) {
        assertThat(changeSets).as("example changeset %s", id).containsKey(id);
        String verdict = cell.split("[\\s,]+")[0].toLowerCase(Locale.ROOT);
        Set<String> expected = new HashSet<>();
        Matcher m = RULE_ID.matcher(cell);
        while (m.find()) {
            expected.add(m.group(1));
        }
        List<Finding> found = findings(asRun, id);
        assertThat(found.stream().map(Finding::rule).collect(Collectors.toSet())).as("rules of %s as run", id)
                .isEqualTo(expected);
        switch (verdict) {
            case "refused" -> assertThat(found).as(id).anyMatch(f -> f.severity() == Finding.Severity.ERROR);
            case "warning" -> assertThat(found).as(id).isNotEmpty()
                    .allMatch(f -> f.severity() == Finding.Severity.WARNING);
            case "passes", "n/a" -> assertThat(found).as(id).isEmpty();
            case "lock-light" -> {
                assertThat(ChangeSetPlanner.plan(changeSets.get(id), new PostgresDatabase())).as("%s is rewritten", id)
                        .isPresent();
                // what remains is listed; as written it may be refused (EngineRunFormsTest) or just not re-runnable
                assertThat(found).as(id).noneMatch(f -> f.severity() == Finding.Severity.ERROR);
            }
            default -> throw new AssertionError("unknown verdict '" + verdict + "' for " + id);
        }
    }

    private static List<Finding> findings(LintReport report, String id) {
        return report.findings().stream().filter(f -> f.changeSetId().equals(id)).toList();
    }

    private static Set<String> names(String cell) {
        return cell.equals("—") ? Set.of() : Arrays.stream(cell.split(",\\s*")).map(String::strip)
                .collect(Collectors.toSet());
    }
}
