package dev.botshift.schema.lint;

import dev.botshift.core.VisibleText;
import dev.botshift.schema.ChangelogSource;
import dev.botshift.yaml.YamlProblem;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a changelog cannot be read, in one line: the changelog, the file and line when known, and the cause in
 * Botshift's words. Never a Java class name, a stack trace or Liquibase's multi-line explanations.
 */
final class ReadFailure {
    // "Error parsing line 5 column 50 of old.xml: cvc-complex-type.3.2.2: Attribute 'labels' is not allowed ..."
    private static final Pattern XML_POSITION = Pattern.compile("line (\\d+) column \\d+ of (.+?): (.*)", Pattern.DOTALL);
    private static final Pattern XSD_CODE = Pattern.compile("cvc-[\\w.-]+: ");
    private static final Pattern UNEXPECTED =
            Pattern.compile("Invalid content was found starting with element '\\{?(?:\"[^\"]*\":)?(\\w+)\\}?'");
    private static final Pattern ATTRIBUTE = Pattern.compile("Attribute '(\\w+)' is not allowed to appear in element '(\\w+)'");
    private static final Pattern NOT_FOUND = Pattern.compile("The file '?(?:classpath:)?(.+?)'? was not found");
    private static final Pattern CLASS_PREFIX = Pattern.compile("([a-z][\\w$]*\\.)+[A-Z][\\w$]*(Exception|Error)(: )?");
    private static final Pattern MISSING_CLASS = Pattern.compile("ClassNotFoundException: ([\\w.$]+)");
    // Liquibase's YAML parser: "Syntax error in file part.yaml: while scanning ..."
    private static final Pattern YAML_FILE = Pattern.compile("Syntax error in file (.+?): ");

    private ReadFailure() {
    }

    static String explain(ChangelogSource source, Throwable failure) {
        return "changelog " + source.root() + " cannot be read: " + cause(source, failure);
    }

    private static String cause(ChangelogSource source, Throwable failure) {
        if (failure instanceof StackOverflowError) {
            return "its includes nest too deeply";
        }
        IncludeGuard.Refused refused = IncludeGuard.find(failure);
        if (refused != null) {
            return refused.getMessage();
        }
        String all = messages(failure);
        String yaml = malformedYaml(source, failure, all);
        if (yaml != null) {
            return yaml;
        }
        Matcher missingClass = MISSING_CLASS.matcher(all);
        if (missingClass.find()) {
            return "customChange class " + missingClass.group(1) + " is not on the classpath; add its jar with"
                    + " --classpath (plan: database.classpath)";
        }
        Matcher notFound = NOT_FOUND.matcher(all);
        if (notFound.find()) {
            return "included file " + notFound.group(1) + " was not found in the changelog's folder or the search path;"
                    + " add the folder it is relative to with --search-path (plan: database.searchPath)";
        }
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            Matcher xml = XML_POSITION.matcher(t.getMessage() == null ? "" : oneLine(t.getMessage()));
            if (xml.find()) {
                // the parser's words name elements and entities, not the text around them
                String detail = XSD_CODE.matcher(xml.group(3)).find() ? schemaProblem(xml.group(3))
                        : CLASS_PREFIX.matcher(xml.group(3)).replaceAll("").strip();
                return xml.group(2) + " line " + xml.group(1) + ": " + detail;
            }
        }
        return oneLine(deepestMessage(failure));
    }

    /**
     * A YAML file that does not parse: its name, the problem and where, never SnakeYAML's own message, which quotes
     * the offending line (a changeset's SQL may hold a password).
     *
     * @return null when the failure is not malformed YAML
     */
    private static String malformedYaml(ChangelogSource source, Throwable failure, String all) {
        return YamlProblem.in(failure).map(problem -> {
            Matcher file = YAML_FILE.matcher(all);
            String name = file.find() ? Path.of(file.group(1)).getFileName().toString() : null;
            // Liquibase reads JSON changelogs with its YAML parser: a JSON file is told as JSON
            boolean json = (name != null ? name : source.root().toString()).toLowerCase(Locale.ROOT).endsWith(".json");
            return (name == null ? "" : name + " ") + problem.describe(json ? "JSON" : "YAML");
        }).orElse(null);
    }

    /** An XML schema validation error, explained. */
    private static String schemaProblem(String detail) {
        String plain = XSD_CODE.matcher(detail).replaceAll("").strip();
        Matcher attribute = ATTRIBUTE.matcher(plain);
        if (attribute.find() && attribute.group(1).equals("labels")) {
            return "the XML schema this changelog declares (an old dbchangelog XSD) has no 'labels' attribute;"
                    + " give the phases in a phases file instead, no edit needed (--phases, plan: database.phases),"
                    + " or declare dbchangelog-latest.xsd";
        }
        Matcher unexpected = UNEXPECTED.matcher(plain);
        if (unexpected.find()) {
            return "not valid against the XML schema it declares: element <" + unexpected.group(1) + "> is not expected"
                    + " there (misspelt, or in the wrong order)";
        }
        if (plain.contains("Cannot find the declaration of element")) {
            return "Liquibase has no copy of the XML schema this changelog declares (or it declares none); declare"
                    + " http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd";
        }
        return "not valid against the XML schema it declares: " + plain;
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            all.append(t).append('\n');
        }
        return all.toString();
    }

    /** The innermost message that says something, without Java class names. */
    private static String deepestMessage(Throwable failure) {
        String found = null;
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !CLASS_PREFIX.matcher(m.strip()).replaceAll("").isBlank()) {
                found = m;
            }
        }
        return found == null ? "Liquibase could not parse it" : CLASS_PREFIX.matcher(found).replaceAll("").strip();
    }

    private static String oneLine(String text) {
        return VisibleText.cut(String.join(" ", text.strip().split("\\s*\\R\\s*")), 300);
    }
}
