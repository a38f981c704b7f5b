package dev.botshift.schema.lint;

import java.io.StringReader;
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
    /** Stands in {@code defined} for "a properties file defines more": nothing is refused after it. */
    private static final String FROM_FILE = "\u0000from a properties file";

    private ChangelogParameters() {
    }

    /**
     * Liquibase's parameters for a read, without the environment variables and JVM properties its constructor adds:
     * so no statement is ever filled from them, including an {@code sqlFile}'s, whose text no check here reads
     * (measured before: {@code ${SECRET_X}} in an sqlFile came out as its value). Only the definitions remain:
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
     * Liquibase defines.
     */
    static void check(String path, String text, Set<String> defined, Set<String> plan) throws IncludeGuard.Refused {
        define(path, text, defined);
        if (defined.contains(FROM_FILE)) {
            return;
        }
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            String name = m.group(1);
            String key = name.toLowerCase(Locale.ROOT);
            if (name.startsWith(":") || key.startsWith("database.") || defined.contains(key)
                    || plan.stream().anyMatch(p -> p.equalsIgnoreCase(name))) {
                continue;
            }
            throw new IncludeGuard.Refused(path + ": ${" + name + "} is defined by no property of the changelog and no"
                    + " database.parameters entry of the plan, so Liquibase would fill it from the environment"
                    + " variables or JVM properties of whoever runs Botshift (secrets included): define it with a"
                    + " property in the changelog, or in the plan's database.parameters (lint: -D" + name + "=...)");
        }
    }

    private static void define(String path, String text, Set<String> defined) {
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json")) {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(IncludeGuard.MAX_ALIASES);
            options.setCodePointLimit(IncludeGuard.MAX_BYTES);
            try {
                for (Object document : new Yaml(new SafeConstructor(options)).loadAll(new StringReader(text))) {
                    walk(document, defined);
                }
            } catch (RuntimeException unreadable) {
                // Liquibase reports the YAML error with its line
            }
        } else if (lower.endsWith(".xml")) {
            Matcher m = XML_PROPERTY.matcher(text);
            while (m.find()) {
                add(XML_NAME.matcher(m.group(1)), XML_FILE.matcher(m.group(1)).find(), defined);
            }
        } else {
            Matcher m = SQL_PROPERTY.matcher(text);
            while (m.find()) {
                add(SQL_NAME.matcher(m.group(1)), SQL_FILE.matcher(m.group(1)).find(), defined);
            }
        }
    }

    private static void add(Matcher name, boolean fromFile, Set<String> defined) {
        if (name.find()) {
            defined.add(name.group(1).toLowerCase(Locale.ROOT));
        }
        if (fromFile) {
            defined.add(FROM_FILE);
        }
    }

    /** Every {@code property: {name: ..}} or {@code {file: ..}} mapping, at any depth. */
    private static void walk(Object node, Set<String> defined) {
        if (node instanceof Map<?, ?> map) {
            if (map.get("property") instanceof Map<?, ?> property) {
                if (property.get("name") != null) {
                    defined.add(String.valueOf(property.get("name")).toLowerCase(Locale.ROOT));
                }
                if (property.get("file") != null) {
                    defined.add(FROM_FILE);
                }
            }
            map.values().forEach(v -> walk(v, defined));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> walk(v, defined));
        }
    }
}
