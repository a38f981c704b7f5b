package dev.botshift.schema.lint;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.botshift.core.InvalidInputException;
import dev.botshift.schema.SchemaPhase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import liquibase.Labels;
import liquibase.changelog.ChangeSet;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * A phases file: the phase of changesets that cannot carry a label without an edit (a legacy changelog whose old
 * XSD rejects the {@code labels} attribute, a changelog vendored from elsewhere). It adds the label as if it were
 * written on the changeset, so every rule, and the engine's label filter, treat both the same; a changeset matched
 * for both phases (or labelled one way and matched the other) is refused as {@code phase-label-both}.
 *
 * <pre>
 * expand:
 *   - "1.0.0-*"                 # a glob on the changeset id
 * contract:
 *   - "legacy/2.0.xml::drop-*"  # file glob :: id glob; the file is the changeset's path as Liquibase records it
 * </pre>
 */
final class PhasesFile {
    static final PhasesFile NONE = new PhasesFile("", List.of());
    private static final int MAX_BYTES = 1024 * 1024;

    private record Entry(SchemaPhase phase, String pattern, Pattern file, Pattern id) {
        boolean matches(ChangeSet cs) {
            return id.matcher(cs.getId()).matches()
                    && (file == null || cs.getFilePath() != null && file.matcher(cs.getFilePath()).matches());
        }
    }

    private final String name;
    private final List<Entry> entries;

    private PhasesFile(String name, List<Entry> entries) {
        this.name = name;
        this.entries = entries;
    }

    static PhasesFile load(Path file) {
        JsonNode root = read(file);
        List<Entry> entries = new ArrayList<>();
        var fields = root.fieldNames();
        while (fields.hasNext()) {
            String field = fields.next();
            SchemaPhase phase = field.equals("expand") ? SchemaPhase.EXPAND
                    : field.equals("contract") ? SchemaPhase.CONTRACT : null;
            if (phase == null) {
                throw refused(file, field + ": unknown field (expected expand or contract)");
            }
            JsonNode list = root.get(field);
            if (!list.isArray()) {
                throw refused(file, field + ": expected a list of changeset id patterns");
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode p = list.get(i);
                if (!p.isTextual() || p.asText().isBlank()) {
                    throw refused(file, field + "[" + i + "]: expected a changeset id pattern such as \"1.0.0-*\"");
                }
                entries.add(entry(phase, p.asText().strip()));
            }
        }
        return new PhasesFile(file.toString(), List.copyOf(entries));
    }

    /**
     * Adds each matched phase to the changeset's labels.
     *
     * @return the patterns that matched no changeset, as {@code phase: pattern} (a typo, or a changeset since renamed)
     */
    List<String> label(List<ChangeSet> changeSets) {
        Set<Entry> used = new LinkedHashSet<>();
        for (ChangeSet cs : changeSets) {
            Set<String> phases = new TreeSet<>();
            for (Entry e : entries) {
                if (e.matches(cs)) {
                    phases.add(e.phase().label());
                    used.add(e);
                }
            }
            if (!phases.isEmpty()) {
                Set<String> labels = new TreeSet<>(cs.getLabels() == null ? Set.of() : cs.getLabels().getLabels());
                labels.addAll(phases);
                cs.setLabels(new Labels(String.join(",", labels)));
            }
        }
        return entries.stream().filter(e -> !used.contains(e)).map(e -> e.phase().label() + ": " + e.pattern()).toList();
    }

    String name() {
        return name;
    }

    private static Entry entry(SchemaPhase phase, String pattern) {
        int at = pattern.indexOf("::");
        Pattern file = at < 0 ? null : Pattern.compile("(.*/)?" + glob(pattern.substring(0, at)));
        return new Entry(phase, pattern, file, Pattern.compile(glob(at < 0 ? pattern : pattern.substring(at + 2))));
    }

    /** {@code *} any run of characters, {@code ?} one character, everything else literally. */
    private static String glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return regex.toString();
    }

    private static JsonNode read(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw refused(file, "larger than 1 MB");
            }
            // the plan loader's YAML limits: few aliases, bounded size
            LoaderOptions limits = new LoaderOptions();
            limits.setMaxAliasesForCollections(IncludeGuard.MAX_ALIASES);
            limits.setCodePointLimit(MAX_BYTES);
            JsonNode root = new ObjectMapper(YAMLFactory.builder().loaderOptions(limits).build()).readTree(file.toFile());
            if (root == null || root.isMissingNode() || root.isNull()) {
                return new ObjectMapper().createObjectNode();
            }
            if (!root.isObject()) {
                throw refused(file, "expected a mapping with 'expand' and/or 'contract' lists");
            }
            return root;
        } catch (JacksonException e) {
            var at = e.getLocation();
            throw refused(file, (at == null ? "" : "line " + at.getLineNr() + ": ") + "not valid YAML");
        } catch (IOException e) {
            throw refused(file, "cannot be read (" + (Files.exists(file) ? "permission or I/O error" : "no such file") + ")");
        }
    }

    private static InvalidInputException refused(Path file, String message) {
        return new InvalidInputException("phases file " + file + ": " + message);
    }
}
