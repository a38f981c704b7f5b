package dev.botshift.schema.lint;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.changelog.ChangeLogParameters;
import liquibase.database.Database;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The changelog parameters ({@code ${name}}) a changelog may use: those its own {@code property} entries define (in the
 * file, or in a file read before it, such as the root for its includes), those the plan's {@code database.parameters}
 * (or {@code lint -D}) set, and Liquibase's own {@code database.*}. Liquibase fills any other name from the
 * environment variables and JVM properties of the process reading the changelog, so a changeset could carry the
 * database password or the bot token into a statement that {@code botshift plan} prints, the database runs and its
 * logs keep. Botshift's reads take those sources away ({@link #withoutEnvironment}); a reference to them is then a
 * mistake that would reach the database as written, so it is refused when the file is read, before anything runs. A {@code property} read from a
 * file ({@code file:}) defines names this check cannot see: a changelog with one is not checked further.
 */
final class ChangelogParameters {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}\\s]+)}");
    private static final Pattern XML_PROPERTY = Pattern.compile("<property\\b([^>]*)>");
    private static final Pattern XML_NAME = Pattern.compile("\\bname\\s*=\\s*[\"']([^\"']+)[\"']");
    private static final Pattern XML_FILE = Pattern.compile("\\bfile\\s*=");
    private static final Pattern SQL_PROPERTY = Pattern.compile("(?m)^\\s*--\\s*property\\s+(.*)$");
    private static final Pattern SQL_NAME = Pattern.compile("\\bname:(\\S+)");
    private static final Pattern SQL_FILE = Pattern.compile("\\bfile:");
    /**
     * An XML comment, or a CDATA section kept as it is: a comment's text never reaches Liquibase, a CDATA section's
     * does, "<!--" inside it included.
     */
    private static final Pattern XML_COMMENT_OR_CDATA =
            Pattern.compile("<!\\[CDATA\\[.*?]]>|<!--.*?-->", Pattern.DOTALL);
    /** Stands in {@code defined} for "a properties file defines more": nothing is refused after it. */
    private static final String FROM_FILE = "\u0000from a properties file";

    private ChangelogParameters() {
    }

    /**
     * Liquibase's parameters for a read, without the environment variables and JVM properties its constructor adds:
     * so no statement is ever filled from them, including an {@code sqlFile}'s, whose text is checked only once
     * filled ({@link #unfilled}; measured before: {@code ${SECRET_X}} in an sqlFile came out as its value). Only the
     * definitions remain:
     * Liquibase's {@code database.*}, the changelog's properties, the plan's parameters (set by the caller).
     */
    static ChangeLogParameters withoutEnvironment(Database database) {
        ChangeLogParameters parameters = new ChangeLogParameters(database);
        try {
            Field system = ChangeLogParameters.class.getDeclaredField(SYSTEM_PARAMETERS);
            system.setAccessible(true);
            ((List<?>) system.get(parameters)).clear();
        } catch (ReflectiveOperationException | RuntimeException e) {
            // a Liquibase other than the 4.33 Botshift is built with: refuse rather than fill statements from secrets
            throw new IllegalStateException("cannot keep the environment out of Liquibase's changelog parameters ("
                    + ChangeLogParameters.class.getName() + "." + SYSTEM_PARAMETERS + ": " + e + ")", e);
        }
        return parameters;
    }

    /** Liquibase 4.33's list of the environment's and the JVM's properties in {@link ChangeLogParameters}. */
    private static final String SYSTEM_PARAMETERS = "systemParameters";

    /**
     * Adds the names {@code text} defines to {@code defined}, then refuses the first reference neither it, the plan nor
     * Liquibase defines. Only what Liquibase reads counts: a comment of an XML or YAML changelog defines nothing and
     * may name anything (a formatted SQL changelog's comments are part of its statements, and are checked).
     */
    static void check(String path, String text, Set<String> defined, Set<String> plan) throws IncludeGuard.Refused {
        String lower = path.toLowerCase(Locale.ROOT);
        List<String> read;
        if (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json")) {
            read = yamlScalars(text, defined);
        } else if (lower.endsWith(".xml")) {
            String withoutComments = withoutXmlComments(text);
            read = List.of(withoutComments);
            defineAll(XML_PROPERTY.matcher(withoutComments), XML_NAME, XML_FILE, defined);
        } else {
            read = List.of(text);
            defineAll(SQL_PROPERTY.matcher(text), SQL_NAME, SQL_FILE, defined);
        }
        if (defined.contains(FROM_FILE)) {
            return;
        }
        for (String part : read) {
            refuseUndefined(path, part, defined, plan);
        }
    }

    private static void refuseUndefined(String path, String text, Set<String> defined, Set<String> plan)
            throws IncludeGuard.Refused {
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            String name = m.group(1);
            String key = name.toLowerCase(Locale.ROOT);
            if (name.startsWith(":") || key.startsWith("database.") || defined.contains(key)
                    || plan.stream().anyMatch(p -> p.equalsIgnoreCase(name))) {
                continue;
            }
            throw new IncludeGuard.Refused(path + ": " + undefined(name));
        }
    }

    /**
     * The first {@code ${name}} left in {@code sql} once Liquibase filled what the changelog, the plan and Liquibase
     * define: an {@code sqlFile}'s text, which the check when a file is read never sees. Nothing else fills it (the
     * environment is kept out: {@link #withoutEnvironment}), so it would reach the database as written.
     */
    static java.util.Optional<String> unfilled(String sql) {
        Matcher m = REFERENCE.matcher(sql);
        while (m.find()) {
            if (!m.group(1).startsWith(":")) {
                return java.util.Optional.of(m.group(1));
            }
        }
        return java.util.Optional.empty();
    }

    /** Why {@code ${name}} is refused, and how to define it. */
    static String undefined(String name) {
        return "${" + name + "} is defined by no property of the changelog and no database.parameters entry of the "
                + "plan, so Liquibase would fill it from the environment variables or JVM properties of whoever runs "
                + "Botshift (secrets included): define it with a property in the changelog, or in the plan's "
                + "database.parameters (lint: -D" + name + "=...)";
    }

    private static String withoutXmlComments(String text) {
        return XML_COMMENT_OR_CDATA.matcher(text)
                .replaceAll(m -> m.group().startsWith("<!--") ? "" : Matcher.quoteReplacement(m.group()));
    }

    private static void defineAll(Matcher entries, Pattern name, Pattern file, Set<String> defined) {
        while (entries.find()) {
            add(name.matcher(entries.group(1)), file.matcher(entries.group(1)).find(), defined);
        }
    }

    /**
     * The YAML (or JSON) documents' keys and scalar values, where Liquibase expands parameters (comments are not among
     * them), after adding the names their {@code property} entries define to {@code defined}. Each node is visited
     * once: an alias is the node it names, so a file of nested aliases costs its size, not its expansion. A file that
     * does not parse gives its whole text (Liquibase reports the YAML error with its line).
     */
    private static List<String> yamlScalars(String text, Set<String> defined) {
        List<String> scalars = new ArrayList<>();
        try {
            Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Object document : yaml().loadAll(new StringReader(text))) {
                walk(document, defined, scalars, seen);
            }
            return scalars;
        } catch (RuntimeException unreadable) {
            return List.of(text);
        }
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(IncludeGuard.MAX_ALIASES);
        options.setCodePointLimit(IncludeGuard.MAX_BYTES);
        return new Yaml(new SafeConstructor(options));
    }

    private static void add(Matcher name, boolean fromFile, Set<String> defined) {
        if (name.find()) {
            defined.add(name.group(1).toLowerCase(Locale.ROOT));
        }
        if (fromFile) {
            defined.add(FROM_FILE);
        }
    }

    /** Every {@code property: {name: ..}} or {@code {file: ..}} mapping, and every scalar, at any depth. */
    private static void walk(Object node, Set<String> defined, List<String> scalars, Set<Object> seen) {
        if (node == null) {
            return;
        }
        if (!(node instanceof Map<?, ?>) && !(node instanceof List<?>)) {
            scalars.add(String.valueOf(node));
            return;
        }
        if (!seen.add(node)) {
            return;
        }
        if (node instanceof Map<?, ?> map) {
            if (map.get("property") instanceof Map<?, ?> property) {
                if (property.get("name") != null) {
                    defined.add(String.valueOf(property.get("name")).toLowerCase(Locale.ROOT));
                }
                if (property.get("file") != null) {
                    defined.add(FROM_FILE);
                }
            }
            map.forEach((k, v) -> {
                walk(k, defined, scalars, seen);
                walk(v, defined, scalars, seen);
            });
        } else {
            ((List<?>) node).forEach(v -> walk(v, defined, scalars, seen));
        }
    }
}
