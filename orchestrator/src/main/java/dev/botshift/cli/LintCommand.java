package dev.botshift.cli;

import dev.botshift.core.InvalidInputException;
import dev.botshift.schema.ChangelogSource;
import dev.botshift.schema.LintReport;
import dev.botshift.schema.lightlock.EngineRunForms;
import dev.botshift.schema.lint.ChangelogLinter;
import dev.botshift.schema.lint.LintReportText;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "lint",
        description = {"Check a changelog for changes that would break the running version (offline: no database).",
                "Every changeset needs the label expand or contract (or a phase from --phases). Expand changesets must "
                        + "be backward compatible (no drop, rename, type change, NOT NULL on existing columns, validated "
                        + "constraints, blocking index builds, table rewrites); contract changesets are checked for "
                        + "blocking statements and for work that belongs in expand.",
                "Exit 0 when clean or only warnings, 2 when a changeset is refused or the changelog cannot be read. "
                        + "Rules: docs/linter.md"})
final class LintCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<changelog>", description = "Root changelog (XML, YAML, JSON or formatted SQL).")
    Path changelog;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text", description = "text or json.")
    Output output;

    @Option(names = "--phases", paramLabel = "<phases.yaml>",
            description = "A phases file giving changesets their phase without editing them (changelogs whose old XSD "
                    + "rejects labels): 'expand:' and 'contract:' lists of changeset id patterns.")
    Path phases;

    @Option(names = "--search-path", paramLabel = "<dir|jar>", split = ",",
            description = "Where includes are looked up after the changelog's folder (Liquibase's search path), "
                    + "comma-separated or repeated.")
    List<Path> searchPath = new ArrayList<>();

    @Option(names = "--classpath", paramLabel = "<jar>",
            description = "Jars with the changelog's customChange classes, separated by ',' or the path separator "
                    + "(':'), or repeated.")
    List<String> classpath = new ArrayList<>();

    @Option(names = "-D", paramLabel = "<name=value>", mapFallbackValue = "",
            description = "A changelog parameter: -Dprefix=app_ fills $${prefix}. Repeat for more.")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(changelog)) {
            throw new InvalidInputException(changelog + ": no such changelog file");
        }
        if (phases != null && !Files.isRegularFile(phases)) {
            throw new InvalidInputException("--phases " + phases + ": no such file");
        }
        ChangelogSource source = new ChangelogSource(changelog, searchPath, jars(), parameters, phases);
        LintReport report = new ChangelogLinter(new EngineRunForms()).lint(source);
        if (output == Output.json) {
            System.out.println(dev.botshift.rollout.RolloutStateCodec.mapper().writeValueAsString(report));
        } else {
            boolean clean = report.findings().isEmpty() && report.skipped().isEmpty();
            System.out.println(clean ? changelog + ": clean" : LintReportText.format(report));
        }
        return report.refused() ? 2 : 0;
    }

    private List<Path> jars() {
        List<Path> jars = new ArrayList<>();
        for (String entry : classpath) {
            for (String part : entry.split("[," + File.pathSeparator + "]")) {
                if (!part.isBlank()) {
                    jars.add(Path.of(part.strip()));
                }
            }
        }
        return jars;
    }
}
