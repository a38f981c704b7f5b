package dev.botshift.schema.lint;

import dev.botshift.core.VisibleText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.exception.ChangeLogParseException;
import liquibase.parser.ChangeLogParser;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.Resource;
import liquibase.resource.ResourceAccessor;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Wraps Liquibase's own changelog parsers (registered through Liquibase's service loader, with a priority above
 * theirs, so the root changelog and every include pass through it) and refuses, before Liquibase reads a file, what
 * would crash or hang it: an include cycle (Liquibase recurses until {@code StackOverflowError}), includes nested
 * deeper than {@value #MAX_DEPTH}, a file larger than {@value #MAX_BYTES} bytes, and a YAML or JSON changelog with
 * more than {@value #MAX_ALIASES} aliases (Liquibase reads YAML with no alias limit, and an alias bomb of 10^9
 * leaves ran for minutes). The limits match the plan loader's YAML limits in spirit: far above any real changelog.
 */
public final class IncludeGuard implements ChangeLogParser {
    static final int MAX_DEPTH = 64;
    static final int MAX_BYTES = 16 * 1024 * 1024;
    static final int MAX_ALIASES = 50;

    private static final ThreadLocal<Deque<String>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);
    /** Names a {@code property} of the files read so far in this read defines (a parent's count for its includes). */
    private static final ThreadLocal<Set<String>> DEFINED = ThreadLocal.withInitial(HashSet::new);
    /** Scope key: the names the plan's {@code database.parameters} define, which Botshift sets itself. */
    public static final String PLAN_PARAMETERS = "botshift.planParameters";

    /** A changelog refused before Liquibase read it; the message is the whole explanation, in one line. */
    public static final class Refused extends ChangeLogParseException {
        Refused(String message) {
            super(message);
        }
    }

    @Override
    public int getPriority() {
        return PRIORITY_DATABASE * 20;
    }

    @Override
    public boolean supports(String changeLogFile, ResourceAccessor resourceAccessor) {
        return delegate(changeLogFile, resourceAccessor) != null;
    }

    @Override
    public DatabaseChangeLog parse(String path, ChangeLogParameters parameters, ResourceAccessor accessor)
            throws ChangeLogParseException {
        Deque<String> open = OPEN.get();
        if (open.contains(path)) {
            List<String> chain = new ArrayList<>(open);
            java.util.Collections.reverse(chain);
            chain = new ArrayList<>(chain.subList(chain.indexOf(path), chain.size()));
            chain.add(path);
            throw new Refused("include cycle: " + String.join(" -> ", chain));
        }
        if (open.size() >= MAX_DEPTH) {
            throw new Refused("includes nested deeper than " + MAX_DEPTH + " files, at " + path);
        }
        String text = checkSize(path, accessor);
        if (text != null) {
            ChangelogParameters.check(path, text, DEFINED.get(), planParameters());
        }
        ChangeLogParser delegate = delegate(path, accessor);
        if (delegate == null) {
            throw new ChangeLogParseException("no Liquibase parser reads " + path);
        }
        open.push(path);
        try {
            return delegate.parse(path, parameters, accessor);
        } finally {
            open.pop();
            if (open.isEmpty()) {
                OPEN.remove();
                DEFINED.remove();
            }
        }
    }

    private static ChangeLogParser delegate(String path, ResourceAccessor accessor) {
        for (ChangeLogParser parser : ChangeLogParserFactory.getInstance().getParsers()) {
            if (!(parser instanceof IncludeGuard) && parser.supports(path, accessor)) {
                return parser;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> planParameters() {
        Set<String> names = liquibase.Scope.getCurrentScope().get(PLAN_PARAMETERS, Set.class);
        return names == null ? Set.of() : names;
    }

    /**
     * Reads at most {@link #MAX_BYTES} + 1 bytes; a YAML or JSON file is composed (not expanded) to count aliases.
     * Answers the file's text, or null when Liquibase is left to report why it cannot be read.
     */
    private static String checkSize(String path, ResourceAccessor accessor) throws ChangeLogParseException {
        byte[] bytes;
        try {
            Resource resource = accessor.get(path);
            if (resource == null || !resource.exists()) {
                return null; // Liquibase reports the missing file in its own words
            }
            try (InputStream in = resource.openInputStream()) {
                bytes = readAtMost(in, MAX_BYTES + 1);
            }
        } catch (IOException | RuntimeException e) {
            return null; // unreadable here: Liquibase reports it
        }
        if (bytes.length > MAX_BYTES) {
            throw new Refused(path + " is larger than " + MAX_BYTES / (1024 * 1024) + " MB");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json")) {
            checkYaml(path, text);
        }
        return text;
    }

    private static void checkYaml(String path, String text) throws Refused {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setCodePointLimit(MAX_BYTES);
        options.setAllowRecursiveKeys(false);
        try {
            // composing builds the node graph with aliases as references: it counts them without expanding
            Set<Node> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (Node document : new Yaml(options).composeAll(new StringReader(text))) {
                duplicateKey(path, document, seen);
            }
        } catch (YAMLException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("aliases")) {
                throw new Refused(path + " uses more than " + MAX_ALIASES + " YAML aliases for collections"
                        + " (an alias bomb would expand to billions of nodes)");
            }
            // other YAML errors: Liquibase reports them with their line
        }
    }

    /**
     * Refuses a mapping that names a key twice: YAML keeps only the last ({@code labels: expand} then {@code labels:
     * contract} is a contract changeset), and SnakeYAML only warns on standard error; the plan's loader refuses the
     * same. Each node once, however many aliases share it.
     */
    private static void duplicateKey(String path, Node node, Set<Node> seen) throws Refused {
        if (node == null || !seen.add(node)) {
            return;
        }
        if (node instanceof MappingNode mapping) {
            Set<String> keys = new HashSet<>();
            for (NodeTuple t : mapping.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode key && !"<<".equals(key.getValue())
                        && !keys.add(key.getValue())) {
                    throw new Refused(path + " line " + (key.getStartMark().getLine() + 1) + " column "
                            + (key.getStartMark().getColumn() + 1) + ": the key '" + VisibleText.quoted(key.getValue(), 80)
                            + "' is given twice in one mapping (YAML keeps only the last): give it once");
                }
                duplicateKey(path, t.getKeyNode(), seen);
                duplicateKey(path, t.getValueNode(), seen);
            }
        } else if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                duplicateKey(path, item, seen);
            }
        }
    }

    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while (out.size() < limit && (n = in.read(buffer, 0, Math.min(buffer.length, limit - out.size()))) > 0) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** The refusal in {@code failure}'s cause chain, if there is one. */
    static Refused find(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof Refused r) {
                return r;
            }
        }
        return null;
    }

}
